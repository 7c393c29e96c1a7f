package dev.cascade.manager.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three stream managers as separate processes form one Hazelcast cluster; one is killed with
 * SIGKILL. The others must answer placement within 3 s, and no node, stream or route may be lost.
 */
class ClusterFailoverIT {
    private final List<ManagerProcess> managers = new ArrayList<>();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() throws Exception {
        beats.shutdownNow();
        for (ManagerProcess m : managers) {
            m.close();
        }
    }

    @Test
    void killingOneMemberLosesNothingAndPlacementResumesWithinThreeSeconds() throws Exception {
        int[] cluster = {ManagerProcess.freePort(), ManagerProcess.freePort(), ManagerProcess.freePort()};
        String members = "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1] + ",127.0.0.1:" + cluster[2];
        Map<String, String> sets = Map.of("cluster.memberTimeoutMs", "3000", "nodes.heartbeatIntervalMs", "500",
                "nodes.heartbeatTimeoutMs", "10000");
        for (int i = 0; i < 3; i++) {
            // one after another, so each joins the cluster the first one formed
            managers.add(ManagerProcess.start("member-" + i, ManagerProcess.freePort(), cluster[i], members, sets));
        }
        for (ManagerProcess m : managers) {
            Await.until("3 members seen by " + m.httpPort, 30, () ->
                    m.http.get("/cluster", ManagerProcess.ADMIN_KEY).json().path("members").size() == 3);
        }
        Http first = managers.get(0).http;

        // A cluster with streams live: 2 origins, 2 relays, 4 edges, 6 streams, each pulled edge -> relay -> origin.
        List<String> nodes = List.of("origin-1", "origin-2", "relay-1", "relay-2", "edge-1", "edge-2", "edge-3", "edge-4");
        for (String id : nodes) {
            assertThat(first.register(id, id.substring(0, id.indexOf('-')), "eu", 9000, 8000).status()).isEqualTo(200);
        }
        Map<String, String> streamsByOrigin = new TreeMap<>();
        for (int s = 0; s < 6; s++) {
            var pub = first.get("/streams/live/s" + s + "/publish?region=eu", null);
            if (pub.status() != 200) {
                // origins become INSERVICE with their first heartbeat
                for (String id : nodes) {
                    first.heartbeat(id, 0, "[]");
                }
                pub = first.get("/streams/live/s" + s + "/publish?region=eu", null);
            }
            assertThat(pub.status()).as(pub.body()).isEqualTo(200);
            streamsByOrigin.put("live/s" + s, pub.json().path("node").path("id").asText());
        }
        // Each node heartbeats like a media node: origins publish, relays and edges pull, and each
        // reports as subscribers the viewers (3 per edge and stream) or downstream pulls it serves.
        Map<String, Map<String, String>> upstreamOf = new TreeMap<>(); // node -> stream -> upstream
        Map<String, Map<String, Integer>> servedBy = new TreeMap<>();  // node -> stream -> subscribers
        for (var e : streamsByOrigin.entrySet()) {
            String stream = e.getKey();
            String origin = e.getValue();
            for (String edge : List.of("edge-1", "edge-2", "edge-3", "edge-4")) {
                var route = first.get("/routes/" + stream + "?node=" + edge, ManagerProcess.JOIN_TOKEN);
                assertThat(route.status()).as(route.body()).isEqualTo(200);
                String relay = route.json().path("upstream").path("id").asText();
                var up = first.get("/routes/" + stream + "?node=" + relay, ManagerProcess.JOIN_TOKEN);
                assertThat(up.json().path("upstream").path("id").asText()).isEqualTo(origin);
                upstreamOf.computeIfAbsent(edge, k -> new TreeMap<>()).put(stream, relay);
                servedBy.computeIfAbsent(edge, k -> new TreeMap<>()).put(stream, 3);
                if (upstreamOf.computeIfAbsent(relay, k -> new TreeMap<>()).put(stream, origin) == null) {
                    servedBy.computeIfAbsent(origin, k -> new TreeMap<>()).merge(stream, 1, Integer::sum);
                }
                servedBy.computeIfAbsent(relay, k -> new TreeMap<>()).merge(stream, 1, Integer::sum);
            }
        }
        Map<String, StringBuilder> reports = new TreeMap<>();
        nodes.forEach(id -> reports.put(id, new StringBuilder()));
        servedBy.forEach((node, streams) -> streams.forEach((stream, subs) -> {
            String upstream = upstreamOf.getOrDefault(node, Map.of()).get(stream);
            add(reports.get(node), stream, upstream == null, subs, upstream);
        }));
        // Heartbeats go to any member that is up, as the nodes' failover does.
        beats.scheduleAtFixedRate(() -> {
            for (var e : reports.entrySet()) {
                for (ManagerProcess m : managers) {
                    try {
                        if (m.alive() && m.http.heartbeat(e.getKey(), 0, "[" + e.getValue() + "]").status() == 200) {
                            break;
                        }
                    } catch (Exception ex) {
                        // that member is down: the next one
                    }
                }
            }
        }, 0, 500, TimeUnit.MILLISECONDS);
        Await.until("every stream live and routed on every member", 20, () -> {
            for (ManagerProcess m : managers) {
                JsonNode list = m.http.get("/streams", ManagerProcess.ADMIN_KEY).json().path("items");
                int live = 0;
                for (JsonNode s : list) {
                    if (s.path("live").asBoolean() && s.path("subscribers").asInt() == 12 && s.path("routes").size() >= 5) {
                        live++;
                    }
                }
                if (live != 6) {
                    return false;
                }
            }
            return true;
        });
        String nodesBefore = state(managers.get(1), "/nodes", "id", "state", "role");
        String streamsBefore = state(managers.get(1), "/streams", "key", "origin", "live", "routes");
        assertThat(nodesBefore).contains("edge-4", "INSERVICE");

        // kill -9 the oldest member: it also ran the once-only work, which must move
        ManagerProcess victim = managers.get(0);
        assertThat(victim.http.get("/healthz", null).json().path("oldest").asBoolean()).isTrue();
        long killedAt = System.nanoTime();
        victim.kill();

        for (ManagerProcess m : managers.subList(1, 3)) {
            Await.until("member " + m.httpPort + " places viewers and publishers", 10, () ->
                    m.http.get("/streams/live/s0/subscribe?region=eu", null).status() == 200
                            && m.http.get("/streams/live/s0/publish?region=eu", null).status() == 200);
        }
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("placement answered by both survivors %.2f s after the kill%n", seconds);
        assertThat(seconds).as("placement answered again after the kill").isLessThan(3.0);

        for (ManagerProcess m : managers.subList(1, 3)) {
            Await.until("member " + m.httpPort + " sees 2 members", 15, () ->
                    m.http.get("/cluster", ManagerProcess.ADMIN_KEY).json().path("members").size() == 2);
            assertThat(state(m, "/nodes", "id", "state", "role")).isEqualTo(nodesBefore);
            assertThat(state(m, "/streams", "key", "origin", "live", "routes")).isEqualTo(streamsBefore);
        }
        // and the survivors still write through entry processors: a fresh registration lands on both
        assertThat(managers.get(1).http.register("edge-late", "edge", "eu", 9100, 8180).status()).isEqualTo(200);
        Await.until("the late node on the other survivor", 10, () ->
                managers.get(2).http.get("/nodes/edge-late", ManagerProcess.ADMIN_KEY).status() == 200);
        assertThat(managers.get(1).http.get("/cluster", ManagerProcess.ADMIN_KEY).json().path("members").toString())
                .contains("\"oldest\":true");
    }

    private static void add(StringBuilder sb, String stream, boolean publishing, int subscribers, String upstream) {
        if (sb.length() > 0) {
            sb.append(',');
        }
        sb.append("{\"key\":\"").append(stream).append("\",\"publishing\":").append(publishing)
                .append(",\"subscribers\":").append(subscribers).append(",\"kbps\":1000,\"upstream\":")
                .append(upstream == null ? "null" : "\"" + upstream + "\"").append('}');
    }

    /** The listed fields of every item, all pages, as one comparable string. */
    private static String state(ManagerProcess m, String list, String... fields) throws Exception {
        StringBuilder out = new StringBuilder();
        JsonNode page = m.http.get(list + "?limit=1000", ManagerProcess.ADMIN_KEY).json();
        for (JsonNode item : page.path("items")) {
            for (String f : fields) {
                out.append(f).append('=').append(item.path(f)).append(' ');
            }
            out.append('\n');
        }
        return out.toString();
    }
}
