package dev.cascade.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance for the media path, with real parts only: three node processes, ffmpeg
 * and srt-live-transmit as publishers, ffmpeg/ffprobe and libsrt callers as viewers.
 */
class MediaPathIT {
    static Cluster cluster;
    @TempDir
    static Path tmp;
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = Cluster.start(Map.of("stream.publisherGraceMs", "3000"));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void cleanup(TestInfo info) {
        processes.forEach(Process::destroyForcibly);
        assertThat(cluster.allAlive()).as("no node crashed during %s\n%s", info.getDisplayName(), cluster.logs()).isTrue();
    }

    private Process track(Process p) {
        processes.add(p);
        return p;
    }

    @Test
    void ffmpegPublishDecodesThroughRelayAndEdge() throws Exception {
        String name = "path1";
        Process publisher = track(Media.publishTestPattern(cluster.publishUrl(name), 10, tmp.resolve("pub1.log")));
        Await.until("origin has the stream", 15, () -> cluster.origin.metrics()
                .sum("cascade_stream_keyframes_total", "stream", "live/" + name) >= 1);
        Path out = tmp.resolve("edge-pull.ts");
        Process viewer = track(Media.record(cluster.edgeUrl(name), out, tmp.resolve("view1.log")));
        assertThat(publisher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(publisher.exitValue()).as(Files.readString(tmp.resolve("pub1.log"))).isZero();
        // The chain tears down by itself after the origin's publisher grace: the viewer sees the end.
        assertThat(viewer.waitFor(20, TimeUnit.SECONDS)).as("viewer pull ends when the stream ends").isTrue();
        long[] frames = Media.countFrames(out);
        // 10 s at 30 fps = 300 frames sent; the GOP cache lets the late-joining pull start at frame 0.
        assertThat(frames[0]).as("video frames decoded of 300 sent").isGreaterThanOrEqualTo(285);
        assertThat(frames[1]).as("audio frames decoded").isGreaterThan(0);
    }

    @Test
    void manyPullsAtTheEdgeShareOneRelayLinkPerHop() throws Exception {
        String name = "fanout";
        String key = "live/" + name;
        double edgeStartsBefore = cluster.edge.metrics().sum("cascade_relay_link_starts_total");
        double relayStartsBefore = cluster.relay.metrics().sum("cascade_relay_link_starts_total");
        track(Media.publishTestPattern(cluster.publishUrl(name), 60, tmp.resolve("pub2.log")));
        Await.until("origin has the stream", 15, () -> cluster.origin.metrics()
                .sum("cascade_stream_keyframes_total", "stream", key) >= 1);
        List<SrtTestClient> viewers = new ArrayList<>();
        try {
            for (int round : new int[] {2, 20}) {
                while (viewers.size() < round) {
                    viewers.add(SrtTestClient.connect(cluster.edge.srtPort, "#!::r=" + key + ",m=request").startReading());
                }
                for (SrtTestClient v : viewers) {
                    long start = v.bytesReceived.get();
                    Await.until("viewer receives data", 15, () -> v.bytesReceived.get() > start + 100_000);
                }
                Metrics edge = cluster.edge.metrics();
                Metrics relay = cluster.relay.metrics();
                Metrics origin = cluster.origin.metrics();
                assertThat(edge.sum("cascade_stream_subscribers", "stream", key, "kind", "viewer")).isEqualTo(round);
                assertThat(edge.sum("cascade_relay_links")).as("edge->relay pulls with %d viewers", round).isEqualTo(1);
                assertThat(edge.sum("cascade_relay_link_starts_total") - edgeStartsBefore).isEqualTo(1);
                assertThat(relay.sum("cascade_stream_subscribers", "stream", key)).as("relay serves one edge, nothing else").isEqualTo(1);
                assertThat(relay.sum("cascade_stream_subscribers", "stream", key, "kind", "relay")).isEqualTo(1);
                assertThat(relay.sum("cascade_relay_links")).as("relay->origin pulls").isEqualTo(1);
                assertThat(relay.sum("cascade_relay_link_starts_total") - relayStartsBefore).isEqualTo(1);
                // The origin also feeds the stream's Opus transcoder (AAC audio), which is no relay.
                assertThat(origin.sum("cascade_stream_subscribers", "stream", key, "kind", "relay")).as("origin serves one relay").isEqualTo(1);
                assertThat(origin.sum("cascade_stream_subscribers", "stream", key, "kind", "viewer")).isZero();
                // Joining through the GOP cache is seamless for the next node: no continuity errors.
                assertThat(relay.sum("cascade_ts_errors_total", "stream", key, "type", "continuity")).isZero();
                assertThat(edge.sum("cascade_ts_errors_total", "stream", key, "type", "continuity")).isZero();
            }
        } finally {
            viewers.forEach(SrtTestClient::close);
        }
        // Once the last viewer leaves, the pulls close after the linger.
        Await.until("edge pull closes after linger", 15, () -> cluster.edge.metrics().sum("cascade_relay_links") == 0);
    }

    @Test
    void publisherReconnectResumesTheChainAndTheOpenViewerContinues() throws Exception {
        String name = "again";
        String key = "live/" + name;
        Process first = track(Media.publishTestPattern(cluster.publishUrl(name), 4, tmp.resolve("pub3a.log")));
        Await.until("origin has the stream", 15, () -> cluster.origin.metrics()
                .sum("cascade_stream_keyframes_total", "stream", key) >= 1);
        long[] pids = {cluster.origin.pid(), cluster.relay.pid(), cluster.edge.pid()};
        try (SrtTestClient viewer = SrtTestClient.connect(cluster.edge.srtPort, "#!::r=" + key + ",m=request").startReading()) {
            Await.until("viewer receives the first publisher", 15, () -> viewer.bytesReceived.get() > 200_000);
            assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
            Await.until("publisher gone at the origin", 10, () -> "IDLE".equals(cluster.origin.streamState(key)));
            long atGap = viewer.bytesReceived.get();
            track(Media.publishTestPattern(cluster.publishUrl(name), 6, tmp.resolve("pub3b.log")));
            Await.until("viewer receives the second publisher", 15, () -> viewer.bytesReceived.get() > atGap + 200_000);
            assertThat(viewer.broken.get()).as("the viewer's pull was never closed").isFalse();
            assertThat(viewer.isConnected()).isTrue();
        }
        assertThat(new long[] {cluster.origin.pid(), cluster.relay.pid(), cluster.edge.pid()}).containsExactly(pids);
    }

    @Test
    void srtLiveTransmitPublisherWorks() throws Exception {
        String name = "slt";
        Path source = Media.testFile(tmp, 8);
        // srt-live-transmit reads a file as fast as it can, so ffmpeg paces it in real time on its
        // stdin; it does not exit at the end of its input, so its exit timer (-t) stops it after the file.
        Process slt = track(new ProcessBuilder("bash", "-c",
                "ffmpeg -hide_banner -nostdin -loglevel error -re -i '" + source + "' -c copy -f mpegts - | "
                        + "srt-live-transmit -q -a:no -t:11 file://con '" + cluster.publishUrl(name) + "'")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("slt.log").toFile()).start());
        Await.until("origin has the stream", 15, () -> cluster.origin.metrics()
                .sum("cascade_stream_keyframes_total", "stream", "live/" + name) >= 1);
        Path out = tmp.resolve("slt-pull.ts");
        Process viewer = track(Media.record(cluster.edgeUrl(name), out, tmp.resolve("view4.log")));
        assertThat(slt.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(viewer.waitFor(20, TimeUnit.SECONDS)).isTrue();
        long[] frames = Media.countFrames(out);
        // 8 s at 30 fps = 240 frames, keyframe every second: the pull starts on a cached keyframe.
        assertThat(frames[0]).as("video frames decoded of 240 sent\n" + Files.readString(tmp.resolve("slt.log")))
                .isGreaterThanOrEqualTo(200);
        assertThat(frames[1]).as("audio frames decoded").isGreaterThan(0);
    }
}
