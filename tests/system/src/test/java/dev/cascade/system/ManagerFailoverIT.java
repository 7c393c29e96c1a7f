package dev.cascade.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.manager.it.Await;
import dev.cascade.manager.it.ManagerProcess;
import dev.cascade.node.it.Media;
import dev.cascade.node.it.NodeProcess;
import dev.cascade.node.it.Ports;
import dev.cascade.node.it.SrtTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three stream managers and a live cluster of real nodes: ffmpeg publishes, an SRT viewer pulls
 * through edge -> relay -> origin. The manager the nodes talk to (also the oldest member) is killed
 * with SIGKILL. The survivors answer placement within 3 s, the nodes fail over their heartbeats and
 * stay INSERVICE, no node, stream or route is lost, and the viewer never notices.
 */
class ManagerFailoverIT {
    static final Path ARTIFACTS = Path.of(System.getProperty("cascade.artifacts"));
    static final String STREAM = "live/failover";
    private final List<ManagerProcess> managers = new ArrayList<>();
    private final List<NodeProcess> nodes = new ArrayList<>();
    private Process publisher;
    private SrtTestClient viewer;

    @AfterEach
    void stop() throws Exception {
        if (viewer != null) {
            viewer.close();
        }
        if (publisher != null) {
            publisher.destroyForcibly();
        }
        for (NodeProcess n : nodes) {
            n.close();
        }
        for (ManagerProcess m : managers) {
            m.close();
        }
    }

    @Test
    void killingTheManagerTheNodesTalkToLosesNothing() throws Exception {
        Files.createDirectories(ARTIFACTS);
        int[] cluster = {ManagerProcess.freePort(), ManagerProcess.freePort(), ManagerProcess.freePort()};
        String members = "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1] + ",127.0.0.1:" + cluster[2];
        Map<String, String> sets = Map.of("cluster.memberTimeoutMs", "3000", "nodes.heartbeatIntervalMs", "500",
                "nodes.heartbeatTimeoutMs", "4000");
        for (int i = 0; i < 3; i++) {
            managers.add(ManagerProcess.start("failover-" + i, ManagerProcess.freePort(), cluster[i], members, sets));
        }
        for (ManagerProcess m : managers) {
            Await.until("3 members", 30, () -> m.http.get("/cluster", ManagerProcess.ADMIN_KEY).json().path("members").size() == 3);
        }
        String urls = managers.get(0).base() + "," + managers.get(1).base() + "," + managers.get(2).base();
        Map<String, String> managed = Map.of("manager.urls", urls, "manager.joinToken", ManagerProcess.JOIN_TOKEN,
                "upstream.port", Integer.toString(Ports.free()));
        for (String role : List.of("origin", "relay", "edge")) {
            nodes.add(NodeProcess.start(role, Ports.free(), Ports.free(), 0, managed));
        }
        ManagerProcess survivor = managers.get(1);
        Await.until("3 nodes in service", 30, () ->
                survivor.http.get("/nodes?state=INSERVICE", ManagerProcess.ADMIN_KEY).json().path("items").size() == 3);

        JsonNode pub = survivor.http.get("/streams/" + STREAM + "/publish", null).json();
        publisher = Media.publishTestPattern(pub.path("srtUrl").asText(), 180, "320x180", ARTIFACTS.resolve("failover-ffmpeg.log"));
        Await.until("the stream is live", 30, () ->
                survivor.http.get("/streams/" + STREAM, ManagerProcess.ADMIN_KEY).json().path("live").asBoolean());
        JsonNode sub = survivor.http.get("/streams/" + STREAM + "/subscribe", null).json();
        viewer = SrtTestClient.connect(sub.path("node").path("srtPort").asInt(), "#!::r=" + STREAM + ",m=request").startReading();
        Await.until("the viewer receives and the route is complete", 30, () -> viewer.bytesReceived.get() > 100_000
                && survivor.http.get("/streams/" + STREAM, ManagerProcess.ADMIN_KEY).json().path("routes").size() == 2);
        String nodesBefore = nodes(survivor);
        String streamBefore = stream(survivor);

        ManagerProcess victim = managers.get(0);
        assertThat(victim.http.get("/healthz", null).json().path("oldest").asBoolean()).isTrue();
        Instant killedAt = Instant.now();
        long t0 = System.nanoTime();
        victim.kill();
        for (ManagerProcess m : managers.subList(1, 3)) {
            Await.until("member " + m.httpPort + " places", 10, () ->
                    m.http.get("/streams/" + STREAM + "/subscribe", null).status() == 200
                            && m.http.get("/streams/" + STREAM + "/publish", null).status() == 200);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("with real nodes live: placement answered by both survivors %.2f s after the kill%n", seconds);
        assertThat(seconds).isLessThan(3.0);

        // Every node's heartbeats moved to a surviving manager: each heartbeats past the moment its
        // silence would have made it FAILED (nodes.heartbeatTimeoutMs = 4 s after the kill).
        long bytes = viewer.bytesReceived.get();
        Instant failedBy = killedAt.plusMillis(4000 + 500);
        Await.until("every node heartbeats to a survivor past the heartbeat timeout", 30, () -> {
            for (JsonNode n : survivor.http.get("/nodes", ManagerProcess.ADMIN_KEY).json().path("items")) {
                if (Instant.parse(n.path("lastHeartbeatAt").asText()).isBefore(failedBy)) {
                    return false;
                }
            }
            return true;
        });
        for (ManagerProcess m : managers.subList(1, 3)) {
            assertThat(nodes(m)).isEqualTo(nodesBefore);
            assertThat(stream(m)).isEqualTo(streamBefore);
        }
        assertThat(viewer.broken.get()).isFalse();
        assertThat(viewer.bytesReceived.get()).as("the viewer kept receiving").isGreaterThan(bytes + 50_000);
    }

    private static String nodes(ManagerProcess m) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (JsonNode n : m.http.get("/nodes", ManagerProcess.ADMIN_KEY).json().path("items")) {
            // registeredAt and stateSince change if a node went FAILED and registered again meanwhile
            sb.append(n.path("id").asText()).append('=').append(n.path("state").asText()).append(" registered ")
                    .append(n.path("registeredAt").asText()).append(" since ").append(n.path("stateSince").asText()).append('\n');
        }
        return sb.toString();
    }

    private static String stream(ManagerProcess m) throws Exception {
        JsonNode s = m.http.get("/streams/" + STREAM, ManagerProcess.ADMIN_KEY).json();
        return s.path("origin").asText() + " live=" + s.path("live") + " routes=" + s.path("routes");
    }
}
