package dev.cascade.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.manager.it.Await;
import dev.cascade.manager.it.ManagerProcess;
import dev.cascade.node.it.Chromium;
import dev.cascade.node.it.Media;
import dev.cascade.node.it.NodeProcess;
import dev.cascade.node.it.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole flow as a user runs it: a stream manager; an origin, a relay and an edge that register
 * with it and whose static upstream points at a dead port (so a working pull proves the routes);
 * ffmpeg asks cascadectl where to publish and publishes there; Chromium asks where to watch and plays
 * through the assigned edge, which found its relay and the origin through routes; the dashboard shows
 * it all in headless Chromium.
 */
class WholeFlowIT {
    static final Path ROOT = Path.of(System.getProperty("cascade.root")).normalize();
    static final Path ARTIFACTS = Path.of(System.getProperty("cascade.artifacts"));
    static final String STREAM = "live/flow";
    static ManagerProcess manager;
    static final List<NodeProcess> nodes = new ArrayList<>();
    static Process publisher;

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(ARTIFACTS);
        manager = ManagerProcess.startAlone("flow-manager", Map.of("nodes.heartbeatIntervalMs", "500"));
        int dead = Ports.free(); // nothing listens here: a node that pulls without routes fails
        Map<String, String> managed = Map.of("manager.urls", manager.base(), "manager.joinToken", ManagerProcess.JOIN_TOKEN,
                "upstream.host", "127.0.0.1", "upstream.port", Integer.toString(dead));
        nodes.add(NodeProcess.start("origin", Ports.free(), Ports.free(), 0, managed));
        nodes.add(NodeProcess.start("relay", Ports.free(), Ports.free(), 0, managed));
        nodes.add(NodeProcess.start("edge", Ports.free(), Ports.free(), 0, managed));
        Await.until("3 nodes in service", 30, () ->
                manager.http.get("/nodes?state=INSERVICE", ManagerProcess.ADMIN_KEY).json().path("items").size() == 3);
    }

    @AfterAll
    static void stop() throws Exception {
        if (publisher != null) {
            publisher.destroyForcibly();
        }
        for (NodeProcess n : nodes) {
            n.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    /** Runs ./cascadectl against the stream manager; its stdout, trimmed. */
    static String cascadectl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("cascadectl").toString(), "--manager", manager.base()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("CASCADE_ADMIN_KEY", ManagerProcess.ADMIN_KEY);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("cascadectl " + String.join(" ", args) + ": " + out).isZero();
        return out;
    }

    @Test
    void ffmpegPublishesWhereToldAndChromiumPlaysThroughTheAssignedEdge() throws Exception {
        NodeProcess origin = nodes.get(0);
        NodeProcess relay = nodes.get(1);
        NodeProcess edge = nodes.get(2);

        String srtUrl = cascadectl("publish", STREAM, "--srt");
        assertThat(srtUrl).isEqualTo("srt://127.0.0.1:" + origin.srtPort + "?streamid=#!::r=" + STREAM + ",m=publish");
        publisher = Media.publishTestPattern(srtUrl, 180, "640x360", ARTIFACTS.resolve("flow-ffmpeg.log"));
        Await.until("the origin reports the stream live", 30, () ->
                manager.http.get("/streams/" + STREAM, ManagerProcess.ADMIN_KEY).json().path("live").asBoolean());

        String playerUrl = cascadectl("watch", STREAM, "--player");
        assertThat(playerUrl).isEqualTo("http://127.0.0.1:" + edge.httpPort + "/watch/" + STREAM);
        Path out = ARTIFACTS.resolve("flow-watch.json");
        Process browser = Chromium.watch(playerUrl, 10, out, ARTIFACTS.resolve("flow-watch.log"));
        JsonNode summary = Chromium.result(browser, out, ARTIFACTS.resolve("flow-watch.log"), 120).get("summary");
        assertThat(summary.path("state").asText()).as(summary.toString()).isEqualTo("playing");
        long decoded = summary.path("framesDecodedEnd").asLong() - summary.path("framesDecodedStart").asLong();
        assertThat(decoded).as("frames decoded in 10 s at 30 fps").isGreaterThanOrEqualTo(240);

        // The edge found its upstream through routes: edge -> relay -> origin, as the manager and the nodes say.
        String edgeId = "edge-" + edge.srtPort;
        String relayId = "relay-" + relay.srtPort;
        String originId = "origin-" + origin.srtPort;
        Await.until("the route and the nodes' reports agree", 20, () -> {
            JsonNode s = manager.http.get("/streams/" + STREAM, ManagerProcess.ADMIN_KEY).json();
            return s.path("routes").toString().contains("{\"from\":\"" + edgeId + "\",\"to\":\"" + relayId + "\"}")
                    && s.path("routes").toString().contains("{\"from\":\"" + relayId + "\",\"to\":\"" + originId + "\"}")
                    && s.path("origin").asText().equals(originId) && s.path("subscribers").asInt() >= 1;
        });
        JsonNode edgeStreams = new ObjectMapper().readTree(edge.get("/api/v1/streams").body()).path("streams");
        assertThat(edgeStreams.toString()).contains("\"upstream\":\"" + relayId + "\"");

        // The dashboard shows the three nodes and the stream, live, in headless Chromium.
        Path dash = ARTIFACTS.resolve("dashboard.json");
        Process d = new ProcessBuilder("node", ROOT.resolve("clients/test/dashboard.mjs").toString(),
                "--url", manager.base() + "/#key=" + ManagerProcess.ADMIN_KEY,
                "--expect-node", originId, "--expect-node", relayId, "--expect-node", edgeId,
                "--expect-stream", STREAM, "--timeout", "30", "--out", dash.toString(),
                "--screenshot", ARTIFACTS.resolve("dashboard.png").toString())
                .redirectErrorStream(true).redirectOutput(ARTIFACTS.resolve("dashboard.log").toFile()).start();
        assertThat(d.waitFor(90, TimeUnit.SECONDS)).isTrue();
        JsonNode result = new ObjectMapper().readTree(dash.toFile());
        assertThat(d.exitValue()).as(result.toString()).isZero();
        assertThat(result.path("connection").asText()).isEqualTo("live");
        assertThat(result.path("updates").asInt()).isGreaterThan(result.path("updatesAtReady").asInt());
        JsonNode streamRow = null;
        for (JsonNode s : result.path("streams")) {
            if (STREAM.equals(s.path("key").asText())) {
                streamRow = s;
            }
        }
        assertThat(streamRow).isNotNull();
        assertThat(streamRow.path("live").asBoolean()).isTrue();
        assertThat(streamRow.path("route").toString()).contains(edgeId + " → " + relayId + " → " + originId);
        for (JsonNode n : result.path("nodes")) {
            assertThat(n.path("state").asText()).as(n.toString()).isEqualTo("INSERVICE");
        }
        assertThat(result.path("nodes").size()).isEqualTo(3);
        assertThat(ARTIFACTS.resolve("dashboard.png")).exists();
    }
}
