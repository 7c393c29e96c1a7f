package dev.cascade.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.node.manager.ScriptedManager;
import dev.cascade.node.manager.ScriptedManager.Answer;
import dev.cascade.node.manager.ScriptedManager.Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real node processes against a stand-in stream manager that keeps registrations and answers routes
 * (the real manager's own suite proves the manager): nodes register after a failover from a dead
 * manager URL, heartbeat their streams, pull along routes instead of their static upstream, and when
 * the edge's relay dies the edge asks again with {@code exclude} and keeps its viewer playing through
 * the other relay. A node with a wrong join token shows it in {@code /healthz}.
 */
class ManagerIT {
    private static final String TOKEN = "it-join-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path tmp;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private MiniManager manager;

    @AfterEach
    void cleanup() {
        processes.forEach(Process::destroyForcibly);
        nodes.forEach(NodeProcess::close);
        if (manager != null) {
            manager.http.close();
        }
    }

    /**
     * Just enough of a stream manager: registrations by id (in order), heartbeats kept per node,
     * routes that send an edge to the first registered relay it does not exclude and a relay to the
     * origin; a wrong join token is refused with 403 join-token-invalid.
     */
    static final class MiniManager {
        final ScriptedManager http;
        final Map<String, JsonNode> registered = new ConcurrentHashMap<>();
        final List<String> order = new CopyOnWriteArrayList<>();
        final Map<String, JsonNode> lastHeartbeat = new ConcurrentHashMap<>();

        MiniManager() throws Exception {
            http = new ScriptedManager(this::answer);
        }

        private Answer answer(Request r, int nth) {
            if (!("Bearer " + TOKEN).equals(r.authorization())) {
                return Answer.problem(403, "join-token-invalid", "not this cluster's join token");
            }
            String[] p = r.path().split("/");
            try {
                if (r.path().equals("/api/v1/nodes/register")) {
                    JsonNode reg = JSON.readTree(r.body());
                    String id = reg.get("id").asText();
                    registered.put(id, reg);
                    if (!order.contains(id)) {
                        order.add(id);
                    }
                    return Answer.json(200, "{\"id\":\"" + id + "\",\"state\":\"STARTING\",\"heartbeatIntervalMs\":500,"
                            + "\"heartbeatTimeoutMs\":1500}");
                }
                if (r.path().startsWith("/api/v1/nodes/") && p.length == 6) {
                    String id = p[4];
                    if (p[5].equals("deregister")) {
                        return registered.remove(id) == null ? Answer.problem(404, "node-not-found", id) : Answer.empty(204);
                    }
                    if (!registered.containsKey(id)) {
                        return Answer.problem(404, "node-not-registered", id + " is not registered");
                    }
                    lastHeartbeat.put(id, JSON.readTree(r.body()));
                    return Answer.json(200, "{\"state\":\"INSERVICE\"}");
                }
                if (r.path().startsWith("/api/v1/routes/")) {
                    Map<String, String> q = query(r.query());
                    JsonNode asker = registered.get(q.get("node"));
                    if (asker == null) {
                        return Answer.problem(404, "node-not-registered", q.get("node") + " is not registered");
                    }
                    List<String> exclude = q.containsKey("exclude") ? List.of(q.get("exclude").split(",")) : List.of();
                    String wanted = asker.get("role").asText().equals("edge") ? "relay" : "origin";
                    for (String id : order) {
                        JsonNode n = registered.get(id);
                        if (n != null && n.get("role").asText().equals(wanted) && !exclude.contains(id)) {
                            return Answer.json(200, "{\"stream\":\"" + p[4] + "/" + p[5] + "\",\"node\":\"" + q.get("node")
                                    + "\",\"upstream\":{\"id\":\"" + id + "\",\"role\":\"" + wanted + "\",\"region\":\"local\","
                                    + "\"host\":\"" + n.get("host").asText() + "\",\"srtPort\":" + n.get("srtPort").asInt()
                                    + ",\"httpPort\":" + n.get("httpPort").asInt() + "}}");
                        }
                    }
                    return Answer.problem(503, "no-capacity", "no " + wanted);
                }
            } catch (Exception e) {
                return Answer.problem(400, "bad-json", e.toString());
            }
            return Answer.problem(404, "not-found", r.path());
        }

        List<Request> routeAsks(String nodeId) {
            return http.requests.stream().filter(r -> r.path().startsWith("/api/v1/routes/") && r.query() != null
                    && nodeId.equals(query(r.query()).get("node"))).toList();
        }

        static Map<String, String> query(String raw) {
            Map<String, String> out = new HashMap<>();
            for (String kv : raw.split("&")) {
                int eq = kv.indexOf('=');
                out.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return out;
        }
    }

    private NodeProcess node(String role, Map<String, String> sets) throws Exception {
        // The static upstream points at a port where nothing listens: only routes can make a pull work.
        NodeProcess n = NodeProcess.start(role, Ports.free(), Ports.free(), role.equals("origin") ? 0 : Ports.free(), sets);
        nodes.add(n);
        return n;
    }

    private static String id(NodeProcess n) {
        return n.role + "-" + n.srtPort;
    }

    private static JsonNode json(NodeProcess n, String path) throws Exception {
        return JSON.readTree(n.get(path).body());
    }

    /** The {@code upstream} of a stream in the node's {@code /api/v1/streams}, "" when the stream is absent. */
    private static String upstreamOf(NodeProcess n, String key) throws Exception {
        for (JsonNode s : json(n, "/api/v1/streams").get("streams")) {
            if (key.equals(s.get("stream").asText())) {
                return s.get("upstream").isNull() ? null : s.get("upstream").asText();
            }
        }
        return "";
    }

    private static JsonNode streamIn(JsonNode heartbeat, String key) {
        if (heartbeat != null) {
            for (JsonNode s : heartbeat.get("streams")) {
                if (key.equals(s.get("key").asText())) {
                    return s;
                }
            }
        }
        return null;
    }

    @Test
    void nodesRegisterHeartbeatAndPullAlongRoutesThatAvoidAFailedRelay() throws Exception {
        manager = new MiniManager();
        String dead = ScriptedManager.deadUrl();
        Map<String, String> sets = Map.of("manager.urls", dead + "," + manager.http.url(), "manager.joinToken", TOKEN,
                "manager.requestTimeoutMs", "1000", "stream.publisherGraceMs", "3000");
        NodeProcess origin = node("origin", sets);
        NodeProcess relayA = node("relay", sets);
        NodeProcess relayB = node("relay", sets);
        NodeProcess edge = node("edge", sets);
        Await.until("four nodes registered", 15, () -> manager.registered.size() == 4
                && manager.lastHeartbeat.keySet().containsAll(manager.order));
        assertThat(manager.order).containsExactly(id(origin), id(relayA), id(relayB), id(edge));

        // The node takes its state from the answer to its heartbeat, a moment after the manager saw it.
        Await.until("the edge told it is INSERVICE", 10, () ->
                "INSERVICE".equals(json(edge, "/healthz").path("manager").path("nodeState").asText()));
        JsonNode health = json(edge, "/healthz");
        assertThat(health.get("status").asText()).isEqualTo("ok");
        JsonNode m = health.get("manager");
        assertThat(m.get("state").asText()).isEqualTo("registered");
        assertThat(m.get("url").asText()).as("failed over from the dead URL").isEqualTo(manager.http.url());
        assertThat(m.get("nodeState").asText()).isEqualTo("INSERVICE");
        Metrics em = edge.metrics();
        assertThat(em.sum("cascade_manager_client_requests_total", "call", "register", "outcome", "unreachable")).isEqualTo(1);
        assertThat(em.sum("cascade_manager_client_failovers_total")).isGreaterThanOrEqualTo(1);
        assertThat(em.sum("cascade_manager_client_registered")).isEqualTo(1);

        String key = "live/routed";
        processes.add(Media.publishTestPattern("srt://127.0.0.1:" + origin.srtPort + "?streamid=#!::r=" + key + ",m=publish",
                60, "640x360", tmp.resolve("pub.log")));
        Await.until("origin has the stream", 15, () -> origin.metrics().sum("cascade_stream_keyframes_total", "stream", key) >= 1);
        try (SrtTestClient viewer = SrtTestClient.connect(edge.srtPort, "#!::r=" + key + ",m=request").startReading()) {
            Await.until("the edge's viewer plays", 15, () -> viewer.bytesReceived.get() > 200_000);
            assertThat(upstreamOf(edge, key)).isEqualTo(id(relayA));
            assertThat(upstreamOf(relayA, key)).isEqualTo(id(origin));
            assertThat(upstreamOf(origin, key)).isNull();
            assertThat(manager.routeAsks(id(edge))).hasSize(1);
            assertThat(manager.routeAsks(id(edge)).get(0).query()).doesNotContain("exclude");
            assertThat(manager.routeAsks(id(relayA))).hasSize(1);

            Await.until("heartbeats carry the stream along its route", 10, () -> {
                JsonNode e = streamIn(manager.lastHeartbeat.get(id(edge)), key);
                JsonNode o = streamIn(manager.lastHeartbeat.get(id(origin)), key);
                return e != null && id(relayA).equals(e.get("upstream").asText()) && e.get("subscribers").asInt() == 1
                        && e.get("kbps").asInt() > 0 && o != null && o.get("publishing").asBoolean()
                        && o.get("upstream").isNull() && o.get("kbps").asInt() > 0
                        && manager.lastHeartbeat.get(id(origin)).get("load").get("mbpsOut").asDouble() > 0;
            });
            JsonNode originLoad = manager.lastHeartbeat.get(id(origin)).get("load");
            // At least the stream and relay A's pull (AAC audio adds the Opus transcoder's pull and rendition).
            assertThat(originLoad.get("publishers").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(originLoad.get("subscribers").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(originLoad.get("mbpsIn").asDouble()).isGreaterThan(0);
            assertThat(manager.lastHeartbeat.get(id(edge)).get("ready").asBoolean()).isTrue();

            // Relay A goes away: the edge asks again, excluding it, and the viewer keeps playing via B.
            relayA.close();
            Await.until("the edge pulls from relay B", 15, () -> id(relayB).equals(upstreamOf(edge, key)));
            List<Request> asks = manager.routeAsks(id(edge));
            assertThat(asks.get(asks.size() - 1).query()).contains("exclude=" + id(relayA));
            assertThat(manager.http.requests("POST", "/api/v1/nodes/" + id(relayA) + "/deregister")).hasSize(1);
            long before = viewer.bytesReceived.get();
            Await.until("the viewer receives through relay B", 15, () -> viewer.bytesReceived.get() > before + 200_000);
            assertThat(viewer.broken.get()).as("the viewer's own connection to the edge survived").isFalse();
        }

        // A node with the wrong join token says so in /healthz, counted, and keeps serving.
        NodeProcess stranger = node("relay", Map.of("manager.urls", manager.http.url(), "manager.joinToken", "wrong-token"));
        Await.until("the stranger shows the refusal", 10,
                () -> "refused".equals(json(stranger, "/healthz").get("manager").get("state").asText()));
        JsonNode refused = json(stranger, "/healthz").get("manager");
        assertThat(refused.get("detail").asText()).contains("403", "join-token-invalid");
        assertThat(refused.get("url").asText()).isEqualTo(manager.http.url());
        assertThat(stranger.metrics().sum("cascade_manager_client_requests_total", "call", "register", "outcome", "refused")).isEqualTo(1);
        assertThat(manager.registered).doesNotContainKey(id(stranger));

        edge.close();
        assertThat(manager.http.requests("POST", "/api/v1/nodes/" + id(edge) + "/deregister")).hasSize(1);
    }
}
