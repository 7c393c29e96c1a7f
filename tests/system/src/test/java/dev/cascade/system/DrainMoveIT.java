package dev.cascade.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.client.FollowingWhepViewer;
import dev.cascade.client.PeerLoop;
import dev.cascade.client.WhepSignaling;
import dev.cascade.manager.it.Await;
import dev.cascade.manager.it.ManagerProcess;
import dev.cascade.node.it.Chromium;
import dev.cascade.node.it.Media;
import dev.cascade.node.it.NodeProcess;
import dev.cascade.node.it.Ports;
import dev.cascade.webrtc.DtlsCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Draining an edge moves its WebRTC viewers to another edge with no visible gap, end to end: a
 * real stream manager; an origin, a relay and two edges registered with it; ffmpeg publishing;
 * headless Chromium and two Java viewers playing from edge A. An admin drains A. A asks the manager
 * where its viewers should go (B: placement never answers a DRAINING node) and sends each a
 * {@code reconnect} event; each opens a session on B, waits until it plays, then closes its session
 * on A. Asserted: every viewer ends up on B and A has no WHEP session left; the browser's decoded
 * frames kept growing every second across the move with no freeze worth the name, and its own log
 * says the new session had decoded frames before the old one was closed; the Java viewers' new
 * sessions had delivered a keyframe and frames before their old ones were DELETEd; A refuses new
 * viewers; the counters on A say 3 told, 3 moved. No assertion on how fast anything is.
 */
class DrainMoveIT {
    static final Path ARTIFACTS = Path.of(System.getProperty("cascade.artifacts"));
    static final String STREAM = "live/drain";
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();
    static ManagerProcess manager;
    static final List<NodeProcess> nodes = new ArrayList<>();
    static final List<FollowingWhepViewer> viewers = new ArrayList<>();
    static Process publisher;
    static Process browser;
    static PeerLoop loop;

    @AfterAll
    static void stop() throws Exception {
        for (FollowingWhepViewer v : viewers) {
            v.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (browser != null) {
            browser.destroyForcibly();
        }
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

    static String id(NodeProcess n) {
        return n.role + "-" + n.srtPort;
    }

    static JsonNode whepSessions(NodeProcess edge) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode s : JSON.readTree(edge.get("/api/v1/webrtc").body()).path("sessions")) {
            if (s.path("kind").asText().equals("whep")) {
                out.add(s);
            }
        }
        return JSON.valueToTree(out);
    }

    static boolean allPlaying(NodeProcess edge, int n, long minPackets) throws Exception {
        JsonNode sessions = whepSessions(edge);
        if (sessions.size() != n) {
            return false;
        }
        for (JsonNode s : sessions) {
            if (!s.path("state").asText().equals("SECURE") || s.path("packetsSent").asLong() < minPackets
                    || !s.path("eventStreamConnected").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void drainingAnEdgeMovesItsWebRtcViewersToAnotherEdgeMakeBeforeBreak() throws Exception {
        Files.createDirectories(ARTIFACTS);
        manager = ManagerProcess.startAlone("drain-manager", Map.of("nodes.heartbeatIntervalMs", "500"));
        Map<String, String> managed = Map.of("manager.urls", manager.base(), "manager.joinToken", ManagerProcess.JOIN_TOKEN);
        NodeProcess origin = NodeProcess.start("origin", Ports.free(), Ports.free(), 0, managed);
        nodes.add(origin);
        nodes.add(NodeProcess.start("relay", Ports.free(), Ports.free(), 0, managed));
        NodeProcess a = NodeProcess.start("edge", Ports.free(), Ports.free(), 0, managed);
        nodes.add(a);
        NodeProcess b = NodeProcess.start("edge", Ports.free(), Ports.free(), 0, managed);
        nodes.add(b);
        Await.until("4 nodes in service", 30, () ->
                manager.http.get("/nodes?state=INSERVICE", ManagerProcess.ADMIN_KEY).json().path("items").size() == 4);

        String srtUrl = manager.http.get("/streams/" + STREAM + "/publish?region=local", null).json().path("srtUrl").asText();
        publisher = Media.publishTestPattern(srtUrl, 240, "640x360", ARTIFACTS.resolve("drain-ffmpeg.log"));
        Await.until("the stream is live", 30, () ->
                manager.http.get("/streams/" + STREAM, ManagerProcess.ADMIN_KEY).json().path("live").asBoolean());

        // Three viewers on edge A (its own URLs: which edge placement would pick is not the point here).
        String whepA = "http://127.0.0.1:" + a.httpPort + "/whep/" + STREAM;
        String whepB = "http://127.0.0.1:" + b.httpPort + "/whep/" + STREAM;
        BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        DtlsCertificate identity = DtlsCertificate.generate(crypto);
        loop = new PeerLoop("drain-viewers");
        WhepSignaling whep = new WhepSignaling();
        for (int i = 1; i <= 2; i++) {
            viewers.add(new FollowingWhepViewer("java-" + i, loop, whep, crypto, identity, URI.create(whepA)).start());
        }
        Path out = ARTIFACTS.resolve("drain-watch.json");
        Path log = ARTIFACTS.resolve("drain-watch.log");
        browser = Chromium.watch("http://127.0.0.1:" + a.httpPort + "/watch/" + STREAM, 25, out, log);
        // A few seconds of media each (~190 packets/s), so the browser's sampling window has begun.
        Await.until("three viewers play from A with their event streams open", 60, () -> allPlaying(a, 3, 1200));
        long[] before = new long[viewers.size()];
        for (int i = 0; i < viewers.size(); i++) {
            before[i] = viewers.get(i).videoPackets();
            assertThat(viewers.get(i).currentEndpoint()).hasToString(whepA);
        }

        // Drain A.
        var drained = manager.http.post("/nodes/" + id(a) + "/drain", ManagerProcess.ADMIN_KEY, "");
        assertThat(drained.status()).as(drained.body()).isEqualTo(200);
        Await.until("every viewer left A for B", 60, () -> whepSessions(a).isEmpty() && allPlaying(b, 3, 100));
        // The stream manager's view: B's heartbeats count them (the browser's session ends with its window).
        Await.until("the manager counts B's viewers", 20, () ->
                manager.http.get("/nodes/" + id(b), ManagerProcess.ADMIN_KEY).json().path("load").path("subscribers").asInt() >= 3);

        // The Java viewers: one move each, to B, and the new session delivered a keyframe and frames
        // before the old one was DELETEd.
        for (int i = 0; i < viewers.size(); i++) {
            FollowingWhepViewer v = viewers.get(i);
            assertThat(v.moves()).as(v.toString()).hasSize(1);
            FollowingWhepViewer.Move m = v.moves().get(0);
            assertThat(m.from()).hasToString(whepA);
            assertThat(m.to()).hasToString(whepB);
            assertThat(m.newKeyframes()).as("keyframes on B before A's session closed").isGreaterThanOrEqualTo(1);
            assertThat(m.newFrames()).as("frames on B before A's session closed").isGreaterThanOrEqualTo(10);
            assertThat(m.newVideoPackets()).isPositive();
            assertThat(m.oldVideoPackets()).isGreaterThan(before[i]);
            assertThat(m.deleteStatus()).isEqualTo(200);
            assertThat(v.currentEndpoint()).hasToString(whepB);
            long now = v.videoPackets();
            Await.until("viewer " + i + " keeps receiving on B", 10, () -> v.videoPackets() > now + 50);
            assertThat(v.authFailures()).isZero();
        }

        // A: nobody left, nobody new; its counters; the manager now places viewers on B.
        HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(whepA)).header("content-type", "application/sdp")
                .POST(HttpRequest.BodyPublishers.ofString("v=0\r\n")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(refused.body()).path("type").asText()).isEqualTo("https://cascade.dev/problems/node-draining");
        assertThat(refused.headers().firstValue("retry-after")).isPresent();
        var metricsA = a.metrics();
        assertThat(metricsA.sum("cascade_webrtc_sessions")).isZero();
        assertThat(metricsA.sum("cascade_node_draining")).isEqualTo(1);
        assertThat(metricsA.sum("cascade_subscribers_told_to_move_total")).isGreaterThanOrEqualTo(3);
        assertThat(metricsA.sum("cascade_subscribers_moved_total")).isEqualTo(3);
        assertThat(metricsA.sum("cascade_drain_placements_total", "outcome", "ok")).isGreaterThanOrEqualTo(1);
        assertThat(manager.http.get("/streams/" + STREAM + "/subscribe?region=local", null).json().path("node").path("id").asText())
                .isEqualTo(id(b));

        // The browser: one move, pictures all along.
        JsonNode result = Chromium.result(browser, out, log, 120);
        browser = null;
        JsonNode summary = result.get("summary");
        assertThat(summary.path("state").asText()).as(summary.toString()).isEqualTo("playing");
        assertThat(summary.path("moves").asInt()).as(summary.toString()).isEqualTo(1);
        assertThat(summary.path("movesFailed").asInt()).as(summary.toString()).isZero();
        assertThat(summary.path("whepUrlEnd").asText()).isEqualTo(whepB);
        assertThat(summary.path("framesDecodedTotalIncreasingEverySecond").asBoolean()).as(summary.toString()).isTrue();
        assertThat(summary.path("framesDecodedTotalEnd").asLong() - summary.path("framesDecodedTotalStart").asLong())
                .as("frames decoded in 25 s at 30 fps, over both sessions").isGreaterThanOrEqualTo(600);
        // As in WhepIT: at most one short freeze, as Chromium counts them, over both sessions.
        assertThat(summary.path("freezeCountTotalEnd").asLong() - summary.path("freezeCountTotalStart").asLong())
                .as("freezes\n%s", summary).isLessThanOrEqualTo(1);
        assertThat(summary.path("totalFreezesDurationMsTotalEnd").asDouble() - summary.path("totalFreezesDurationMsTotalStart").asDouble())
                .as("time frozen, ms").isLessThan(300);
        // The player's own log: make-before-break.
        List<String> types = new ArrayList<>();
        Map<String, JsonNode> step = new java.util.HashMap<>();
        for (JsonNode e : summary.path("moveLog")) {
            types.add(e.path("type").asText());
            step.put(e.path("type").asText(), e);
        }
        String moveLog = summary.path("moveLog").toString();
        assertThat(types).as(moveLog)
                .containsSubsequence("reconnect", "candidate", "candidate-connected", "candidate-ready", "swap", "old-closed")
                .contains("first-frame-shown")
                .doesNotContain("move-failed", "old-failed");
        assertThat(step.get("reconnect").path("from").asText()).isEqualTo(whepA);
        assertThat(step.get("reconnect").path("url").asText()).isEqualTo(whepB);
        assertThat(step.get("candidate-ready").path("framesDecoded").asLong()).as(moveLog).isGreaterThanOrEqualTo(30);
        assertThat(step.get("candidate-ready").path("readyState").asInt()).as(moveLog).isEqualTo(4);
        assertThat(step.get("old-closed").path("newFramesDecoded").asLong())
                .as("the new session had decoded frames before the old one closed\n%s", moveLog).isGreaterThanOrEqualTo(30);
        assertThat(step.get("old-closed").path("deleteStatus").asInt()).isEqualTo(200);
        // What the viewer saw at the swap, in frames of the stream: the old video's last frame to the new one's first.
        assertThat(step.get("first-frame-shown").path("gapFrames").asDouble()).as(moveLog).isLessThanOrEqualTo(5);
        assertThat(result.path("pageErrors")).as(result.path("pageErrors").toString()).isEmpty();
        for (NodeProcess n : nodes) {
            assertThat(n.alive()).as(id(n)).isTrue();
        }
    }
}
