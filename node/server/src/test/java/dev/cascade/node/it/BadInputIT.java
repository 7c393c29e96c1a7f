package dev.cascade.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bad input of the media path gets its documented outcome (docs/errors.md), no node crashes,
 * and a healthy stream running through the whole class never notices: its viewer keeps receiving
 * and its error counters stay at zero.
 */
class BadInputIT {
    static Cluster cluster;
    @TempDir
    static Path tmp;
    static Path file;
    static TsPublisher healthy;
    static SrtTestClient healthyViewer;
    static final String HEALTHY = "live/healthy";

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(Map.of("upstream.pullTimeoutMs", "1500"));
        file = Media.testFile(tmp, 60);
        healthy = new TsPublisher(cluster.origin.srtPort, "#!::r=" + HEALTHY + ",m=publish", file, 60, i -> null);
        healthyViewer = SrtTestClient.connect(cluster.edge.srtPort, "#!::r=" + HEALTHY + ",m=request").startReading();
        Await.until("healthy stream reaches its viewer", 15, () -> healthyViewer.bytesReceived.get() > 50_000);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            long before = healthyViewer.bytesReceived.get();
            Await.until("healthy viewer still receiving at the end", 10, () -> healthyViewer.bytesReceived.get() > before + 20_000);
            assertThat(healthyViewer.broken.get()).isFalse();
            Metrics origin = cluster.origin.metrics();
            for (String type : new String[] {"sync_loss", "continuity", "transport_error", "psi", "pes"}) {
                assertThat(origin.sum("cascade_ts_errors_total", "stream", HEALTHY, "type", type))
                        .as("healthy stream %s errors", type).isZero();
            }
        } finally {
            healthyViewer.close();
            healthy.close();
            cluster.close();
        }
    }

    @AfterEach
    void nodesStillUp(TestInfo info) {
        assertThat(cluster.allAlive()).as("no node crashed in %s\n%s", info.getDisplayName(), cluster.logs()).isTrue();
    }

    private static double rejections(NodeProcess node, String reason) throws Exception {
        return node.metrics().sum("cascade_rejections_total", "reason", reason);
    }

    @Test
    void malformedStreamIdsAreRejectedWithTheirCodes() throws Exception {
        int port = cluster.origin.srtPort;
        double bad = rejections(cluster.origin, "bad_streamid");
        assertThat(SrtTestClient.rejectCodeOf(port, null)).as("no stream ID").isEqualTo(1400);
        assertThat(SrtTestClient.rejectCodeOf(port, "#!::r=live")).isEqualTo(1400);
        assertThat(SrtTestClient.rejectCodeOf(port, "live/a b")).isEqualTo(1400);
        assertThat(SrtTestClient.rejectCodeOf(port, "#!::r=live/x,m=play")).isEqualTo(1405);
        assertThat(SrtTestClient.rejectCodeOf(port, "#!::r=live/x,mode=publish")).isEqualTo(1001);
        assertThat(rejections(cluster.origin, "bad_streamid") - bad).isEqualTo(3);
        assertThat(rejections(cluster.origin, "bad_mode")).isGreaterThanOrEqualTo(1);
        assertThat(rejections(cluster.origin, "unsupported_key")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void publishingToARelayOrAnEdgeIsForbidden() throws Exception {
        assertThat(SrtTestClient.rejectCodeOf(cluster.edge.srtPort, "#!::r=live/x,m=publish")).isEqualTo(1403);
        assertThat(SrtTestClient.rejectCodeOf(cluster.relay.srtPort, "#!::r=live/x,m=publish")).isEqualTo(1403);
        assertThat(rejections(cluster.edge, "forbidden")).isEqualTo(1);
    }

    @Test
    void secondPublisherOfALiveStreamGetsConflict() throws Exception {
        assertThat(SrtTestClient.rejectCodeOf(cluster.origin.srtPort, "#!::r=" + HEALTHY + ",m=publish")).isEqualTo(1409);
        assertThat(rejections(cluster.origin, "conflict")).isEqualTo(1);
        assertThat(healthy.isConnected()).as("the first publisher keeps the stream").isTrue();
    }

    @Test
    void pullOfAMissingStreamAtTheOriginIsRejectedNotFound() throws Exception {
        assertThat(SrtTestClient.rejectCodeOf(cluster.origin.srtPort, "#!::r=live/nothing,m=request")).isEqualTo(1404);
        assertThat(rejections(cluster.origin, "not_found")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void pullOfAMissingStreamAtTheEdgeIsClosedAfterThePullTimeout() throws Exception {
        double closed = cluster.edge.metrics().sum("cascade_subscribers_closed_total", "reason", "not_found");
        try (SrtTestClient viewer = SrtTestClient.connect(cluster.edge.srtPort, "#!::r=live/ghost,m=request").startReading()) {
            Await.until("edge closes the pull", 10, viewer.broken::get);
            assertThat(viewer.bytesReceived.get()).isZero();
        }
        assertThat(cluster.edge.metrics().sum("cascade_subscribers_closed_total", "reason", "not_found") - closed).isEqualTo(1);
        // Right after, the edge remembers the answer and rejects with the code itself.
        assertThat(SrtTestClient.rejectCodeOf(cluster.edge.srtPort, "#!::r=live/ghost,m=request")).isEqualTo(1404);
    }

    @Test
    void nodeToNodePullsGetTheInterNodeLatencyAndClientsTheFloor() throws Exception {
        // SRT settles on the larger of both sides' latencies; read what this caller (asking for 20 ms) got.
        try (SrtTestClient hop = SrtTestClient.connect(cluster.origin.srtPort, "#!::r=" + HEALTHY + ",m=request,hop=relay", 20);
             SrtTestClient viewer = SrtTestClient.connect(cluster.origin.srtPort, "#!::r=" + HEALTHY + ",m=request", 20)) {
            assertThat(hop.latencyMs()).as("upstream.latencyMs for a Cascade hop").isEqualTo(20);
            assertThat(viewer.latencyMs()).as("srt.latencyMs floor for an outside viewer").isEqualTo(120);
        }
    }

    @Test
    void randomDatagramsOnTheSrtPortsChangeNothing() throws Exception {
        Random rnd = new Random(42);
        try (DatagramSocket udp = new DatagramSocket()) {
            for (int port : new int[] {cluster.origin.srtPort, cluster.relay.srtPort, cluster.edge.srtPort}) {
                for (int i = 0; i < 2000; i++) {
                    byte[] junk = new byte[1 + rnd.nextInt(1500)];
                    rnd.nextBytes(junk);
                    if (i % 2 == 0) {
                        junk[0] |= (byte) 0x80; // looks like an SRT control packet
                    }
                    udp.send(new DatagramPacket(junk, junk.length, InetAddress.getLoopbackAddress(), port));
                }
            }
        }
        long before = healthyViewer.bytesReceived.get();
        Await.until("healthy viewer keeps receiving", 10, () -> healthyViewer.bytesReceived.get() > before + 20_000);
        assertThat(cluster.origin.get("/healthz").statusCode()).isEqualTo(200);
    }

    @Test
    void aPublisherSendingNoTsIsDisconnected() throws Exception {
        Random rnd = new Random(7);
        byte[] junk = new byte[1316];
        try (TsPublisher noise = new TsPublisher(cluster.origin.srtPort, "#!::r=live/noise,m=publish", file, 60, i -> {
            rnd.nextBytes(junk);
            junk[0] = 0x11; // never a sync byte where a packet would start
            return junk;
        })) {
            Await.until("origin cuts the publisher off", 15, () -> noise.disconnected.get() || !noise.isConnected());
        }
        assertThat(rejections(cluster.origin, "not_ts")).isEqualTo(1);
    }

    @Test
    void syncLossAndContinuityErrorsMidStreamAreCountedAndTheStreamGoesOn() throws Exception {
        String key = "live/damaged";
        Random rnd = new Random(3);
        try (TsPublisher damaged = new TsPublisher(cluster.origin.srtPort, "#!::r=" + key + ",m=publish", file, 60, i -> {
            if (i >= 300 && i < 310) {
                byte[] garbage = new byte[500]; // not a multiple of 188, no sync: sync loss
                rnd.nextBytes(garbage);
                garbage[0] = 0x00;
                return garbage;
            }
            if (i >= 400 && i < 420) {
                return new byte[0]; // dropped messages: continuity errors on every PID they carried
            }
            return null;
        });
             SrtTestClient viewer = SrtTestClient.connect(cluster.edge.srtPort, "#!::r=" + key + ",m=request").startReading()) {
            Await.until("faults were sent", 20, () -> damaged.messagesSent.get() > 450);
            Await.until("sync loss counted", 10, () -> cluster.origin.metrics()
                    .sum("cascade_ts_errors_total", "stream", key, "type", "sync_loss") >= 1);
            Await.until("continuity errors counted", 10, () -> cluster.origin.metrics()
                    .sum("cascade_ts_errors_total", "stream", key, "type", "continuity") >= 1);
            long after = viewer.bytesReceived.get();
            Await.until("viewer still receives after the damage", 10, () -> viewer.bytesReceived.get() > after + 50_000);
            assertThat(damaged.isConnected()).isTrue();
            assertThat(viewer.broken.get()).isFalse();
        }
    }
}
