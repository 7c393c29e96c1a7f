package dev.cascade.manager.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transcode jobs assigned by two stream-manager members (real Hazelcast, separate processes), with the
 * test speaking the node protocol for an origin and transcoders: streams get transcoders by room and
 * region, a stream with no room waits visibly, variants are left alone, the node-facing {@code /abr}
 * answers the effective ladder on any member, and after the oldest member is killed the other one
 * moves a failed transcoder's job and assigns the waiting one to a new transcoder.
 */
class TranscodeAssignmentIT {
    static final String ADMIN = ManagerProcess.ADMIN_KEY;
    static final String JOIN = ManagerProcess.JOIN_TOKEN;
    static final String LADDER = "{\"ladder\":[{\"level\":1,\"width\":1280,\"height\":720,\"bitrateKbps\":2500,\"fps\":30},"
            + "{\"level\":2,\"width\":854,\"height\":480,\"bitrateKbps\":1000,\"fps\":30},"
            + "{\"level\":3,\"width\":640,\"height\":360,\"bitrateKbps\":400,\"fps\":30}]}";

    private final List<ManagerProcess> managers = new ArrayList<>();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
    /** Nodes the test heartbeats, with the streams JSON each reports. */
    private final Map<String, String> alive = new ConcurrentHashMap<>();
    /** Each transcoder's last heartbeat answer. */
    private final Map<String, JsonNode> answers = new ConcurrentHashMap<>();
    private volatile Http beatVia;

    @AfterEach
    void stop() throws Exception {
        beats.shutdownNow();
        for (ManagerProcess m : managers) {
            m.close();
        }
    }

    private void register(Http http, String id, String role, String group, int srtPort, int maxJobs) throws Exception {
        String body = String.format("{\"id\":\"%s\",\"role\":\"%s\",\"region\":\"eu\",\"group\":\"%s\",\"host\":\"127.0.0.1\","
                + "\"srtPort\":%d,\"httpPort\":8200%s}", id, role, group, srtPort,
                maxJobs > 0 ? ",\"capacity\":{\"maxJobs\":" + maxJobs + "}" : "");
        var r = http.post("/nodes/register", JOIN, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        alive.put(id, "[]");
    }

    private void publishing(String... streams) {
        StringBuilder sb = new StringBuilder("[");
        for (String s : streams) {
            sb.append(sb.length() > 1 ? "," : "").append("{\"key\":\"").append(s).append("\",\"publishing\":true,\"subscribers\":1,\"kbps\":2500}");
        }
        alive.put("origin-1", sb.append(']').toString());
    }

    /** The streams a transcoder's last heartbeat answer told it to transcode. */
    private Set<String> jobsOf(String transcoder) {
        JsonNode a = answers.get(transcoder);
        Set<String> out = new java.util.TreeSet<>();
        if (a != null) {
            a.path("transcodes").forEach(j -> out.add(j.path("stream").asText()));
        }
        return out;
    }

    private String transcoderOf(Http http, String stream) throws Exception {
        JsonNode s = http.get("/streams/" + stream, ADMIN).json();
        return s.path("transcode").isObject() ? s.path("transcode").path("transcoder").asText(null) : "(no job)";
    }

    @Test
    void jobsAreAssignedByRoomWaitVisiblyAndMoveWhenTheirTranscoderFailsAfterTheOldestMemberDied() throws Exception {
        int[] cluster = {ManagerProcess.freePort(), ManagerProcess.freePort()};
        String members = "127.0.0.1:" + cluster[0] + ",127.0.0.1:" + cluster[1];
        Map<String, String> sets = Map.of("cluster.memberTimeoutMs", "3000", "nodes.heartbeatIntervalMs", "300",
                "nodes.heartbeatTimeoutMs", "2000");
        for (int i = 0; i < 2; i++) {
            managers.add(ManagerProcess.start("transcode-" + i, ManagerProcess.freePort(), cluster[i], members, sets));
        }
        for (ManagerProcess m : managers) {
            Await.until("2 members seen by " + m.httpPort, 30, () ->
                    m.http.get("/cluster", ADMIN).json().path("members").size() == 2);
        }
        Http first = managers.get(0).http;
        Http second = managers.get(1).http;
        beatVia = first;
        beats.scheduleAtFixedRate(() -> alive.forEach((id, streams) -> {
            try {
                var r = beatVia.heartbeat(id, 0, streams);
                if (id.startsWith("t-") && r.status() == 200) {
                    answers.put(id, r.json());
                }
            } catch (Exception e) {
                // a member going away: the next beat goes to the survivor
            }
        }), 0, 200, TimeUnit.MILLISECONDS);

        // A node group whose default ladder applies to its origins' streams without a provision.
        var group = first.post("/nodegroups", ADMIN, "{\"name\":\"g\",\"rules\":[{\"role\":\"origin\",\"region\":\"eu\","
                + "\"min\":0,\"max\":1}],\"abr\":" + LADDER.replace("2500", "3000") + "}");
        assertThat(group.status()).as(group.body()).isEqualTo(201);
        register(first, "origin-1", "origin", "g", 9000, 0);
        register(first, "t-1", "transcoder", "", 0, 1);
        register(second, "t-2", "transcoder", "", 0, 2);
        Await.until("3 nodes in service", 20, () ->
                first.get("/nodes?state=INSERVICE", ADMIN).json().path("items").size() == 3);

        // a, b, c provisioned; d under the group's default; a_1 a variant of a.
        for (String s : List.of("live/a", "live/b", "live/c")) {
            assertThat(second.put("/streams/" + s + "/provision", ADMIN, LADDER).status()).isEqualTo(200);
        }
        // One after another, so that the order is the test's: a -> t-1 (fewest jobs, then the lower id; full at
        // 1), b and c -> t-2 (full at 2), then d waits.
        publishing("live/a");
        Await.until("t-1 runs a", 20, () -> jobsOf("t-1").equals(Set.of("live/a")));
        publishing("live/a", "live/b", "live/c");
        Await.until("t-2 runs b and c", 20, () -> jobsOf("t-2").equals(Set.of("live/b", "live/c")));
        publishing("live/a", "live/b", "live/c", "live/d", "live/a_1");
        JsonNode job = answers.get("t-1").path("transcodes").get(0);
        assertThat(job.path("source").toString()).isEqualTo("{\"node\":\"origin-1\",\"host\":\"127.0.0.1\",\"srtPort\":9000}");
        assertThat(job.path("ladder").size()).isEqualTo(3);
        assertThat(job.path("ladder").get(2).toString())
                .isEqualTo("{\"level\":3,\"width\":640,\"height\":360,\"bitrateKbps\":400,\"fps\":30}");
        Await.until("d waits for a transcoder, visibly, on both members", 20, () ->
                transcoderOf(first, "live/d") == null && transcoderOf(second, "live/d") == null);
        JsonNode d = second.get("/streams/live/d", ADMIN).json().path("transcode");
        assertThat(d.path("from").asText()).isEqualTo("group");
        assertThat(d.path("variants").toString()).isEqualTo("[\"live/d_1\",\"live/d_2\",\"live/d_3\"]");
        assertThat(transcoderOf(second, "live/a_1")).as("a variant has no job").isEqualTo("(no job)");
        assertThat(first.get("/metrics", null).body()).contains("cascade_manager_transcodes{state=\"waiting\"} 1.0");

        // The node-facing effective provision, on either member.
        var abr = second.get("/streams/live/a/abr", JOIN);
        assertThat(abr.status()).as(abr.body()).isEqualTo(200);
        assertThat(abr.json().path("stream").asText()).isEqualTo("live/a");
        assertThat(abr.json().path("from").asText()).isEqualTo("stream");
        assertThat(abr.json().path("transcoder").asText()).isEqualTo("t-1");
        assertThat(abr.json().path("ladder").get(0).path("bitrateKbps").asInt()).isEqualTo(2500);
        assertThat(abr.json().path("policy").toString())
                .isEqualTo("{\"startLevel\":3,\"downThreshold\":0.9,\"upHeadroom\":1.2,\"upDelayMs\":4000}");
        var groupAbr = first.get("/streams/live/d/abr", JOIN);
        assertThat(groupAbr.json().path("from").asText()).isEqualTo("group");
        assertThat(groupAbr.json().path("ladder").get(0).path("bitrateKbps").asInt()).isEqualTo(3000);
        assertThat(groupAbr.json().has("transcoder")).isTrue();
        assertThat(groupAbr.json().path("transcoder").isNull()).isTrue();

        // The oldest member dies; the survivor keeps assigning. t-1 stops heartbeating (FAILED) and t-3
        // comes: a moves to t-3 and the waiting d gets t-3 too.
        beatVia = second;
        managers.get(0).kill();
        alive.remove("t-1");
        Await.until("t-1 FAILED", 30, () -> "FAILED".equals(second.get("/nodes/t-1", ADMIN).json().path("state").asText()));
        register(second, "t-3", "transcoder", "", 0, 2);
        Await.until("t-3 runs a and d", 30, () -> jobsOf("t-3").equals(Set.of("live/a", "live/d")));
        assertThat(transcoderOf(second, "live/a")).isEqualTo("t-3");
        assertThat(jobsOf("t-2")).isEqualTo(Set.of("live/b", "live/c"));

        // An ended stream ends its job; a deleted provision falls back to the group's default, which ends
        // the job when it goes too.
        assertThat(second.delete("/streams/live/b/provision", ADMIN).status()).isEqualTo(204);
        publishing("live/a", "live/b", "live/d", "live/a_1");
        Await.until("t-2 runs b only, now under the group's ladder", 20, () -> jobsOf("t-2").equals(Set.of("live/b"))
                && answers.get("t-2").path("transcodes").get(0).path("ladder").get(0).path("bitrateKbps").asInt() == 3000);
        assertThat(second.get("/streams/live/b/abr", JOIN).json().path("from").asText()).isEqualTo("group");
        var noDefault = second.put("/nodegroups/g", ADMIN, "{\"name\":\"g\",\"rules\":[{\"role\":\"origin\","
                + "\"region\":\"eu\",\"min\":0,\"max\":1}]}");
        assertThat(noDefault.status()).as(noDefault.body()).isEqualTo(200);
        Await.until("t-2 runs nothing", 20, () -> jobsOf("t-2").isEmpty());
        assertThat(transcoderOf(second, "live/b")).isEqualTo("(no job)");
        assertThat(second.get("/streams/live/b/abr", JOIN).status()).isEqualTo(404);
        String metrics = second.get("/metrics", null).body();
        assertThat(metrics).contains("cascade_manager_transcode_changes_total{action=\"drop\"}");
        assertThat(metrics).contains("cascade_manager_transcodes{state=\"assigned\"} 1.0"); // a on t-3 (d lost the group's ladder)
    }
}
