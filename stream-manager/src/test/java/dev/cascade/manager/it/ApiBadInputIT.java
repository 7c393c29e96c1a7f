package dev.cascade.manager.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad input the API can get, each answered with its exact status and problem type
 * (docs/errors.md), counted in cascade_manager_rejections_total, and never a 500.
 */
class ApiBadInputIT {
    static ManagerProcess manager;
    static Http http;
    static final String ADMIN = ManagerProcess.ADMIN_KEY;
    static final String JOIN = ManagerProcess.JOIN_TOKEN;
    static final String GROUP = "{\"name\":\"g1\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu\",\"min\":1,\"max\":4}]}";

    @BeforeAll
    static void start() throws Exception {
        manager = ManagerProcess.startAlone("bad-input", Map.of("http.maxBodyBytes", "4096"));
        http = manager.http;
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            nothingWasA500();
        } finally {
            manager.close();
        }
    }

    private static void problem(Http.Response r, int status, String type) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).isEqualTo("application/problem+json");
        assertThat(r.problemType()).as(r.body()).isEqualTo(type);
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("detail").asText()).isNotBlank();
    }

    @Test
    void malformedJson() throws Exception {
        var r = http.post("/nodegroups", ADMIN, "{\"name\": \"g\", ");
        problem(r, 400, "bad-json");
        problem(http.post("/nodes/register", JOIN, "not json"), 400, "bad-json");
        problem(http.post("/nodegroups", ADMIN, GROUP + " trailing"), 400, "bad-json");
    }

    @Test
    void unknownField() throws Exception {
        var r = http.post("/nodegroups", ADMIN, "{\"name\":\"g2\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu\",\"min\":1,\"max\":2,\"maxx\":3}]}");
        problem(r, 400, "unknown-field");
        assertThat(r.json().path("detail").asText()).contains("rules[0].maxx");
    }

    @Test
    void wrongTypes() throws Exception {
        var r = http.post("/nodegroups", ADMIN, "{\"name\":\"g3\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu\",\"min\":\"1\",\"max\":2}]}");
        problem(r, 400, "bad-type");
        assertThat(r.json().path("detail").asText()).contains("rules[0].min");
        problem(http.post("/nodegroups", ADMIN, "{\"name\":\"g3\",\"rules\":{}}"), 400, "bad-type");
        problem(http.post("/nodegroups", ADMIN, "[1,2]"), 400, "bad-type");
        var role = http.post("/nodegroups", ADMIN, "{\"name\":\"g3\",\"rules\":[{\"role\":\"EDGE\",\"region\":\"eu\",\"min\":1,\"max\":2}]}");
        // a string where a string belongs, but not one of the roles: a bad value, named with its path
        problem(role, 400, "invalid-value");
        assertThat(role.json().path("detail").asText()).contains("rules[0].role").contains("origin, relay, edge");
        problem(http.post("/nodegroups", ADMIN, "{\"name\":\"g3\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu\",\"min\":1.5,\"max\":2}]}"),
                400, "bad-type");
    }

    @Test
    void invalidValues() throws Exception {
        var r = http.post("/nodegroups", ADMIN, "{\"name\":\"g4\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu\",\"min\":5,\"max\":2}]}");
        problem(r, 400, "invalid-value");
        assertThat(r.json().path("detail").asText()).contains("rules[0].max").contains("at least min");
        problem(http.post("/nodegroups", ADMIN, "{\"name\":\"Bad Name\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu\",\"min\":1,\"max\":2}]}"),
                400, "invalid-value");
        problem(http.post("/nodes/register", JOIN, "{\"id\":\"n1\",\"role\":\"edge\",\"region\":\"eu\",\"host\":\"127.0.0.1\","
                + "\"srtPort\":70000,\"httpPort\":8180}"), 400, "invalid-value");
        problem(http.post("/apikeys", ADMIN, "{\"name\":\"\",\"role\":\"admin\"}"), 400, "invalid-value");
    }

    @Test
    void oversizedBody() throws Exception {
        String big = "{\"name\":\"g5\",\"description\":\"" + "x".repeat(8000) + "\",\"rules\":[]}";
        problem(http.post("/nodegroups", ADMIN, big), 413, "body-too-large");
    }

    @Test
    void wrongContentType() throws Exception {
        var r = http.send(HttpRequest.newBuilder(http.uri("/nodegroups")).header("content-type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(GROUP)), ADMIN);
        problem(r, 415, "unsupported-media-type");
    }

    @Test
    void missingOrWrongCredentials() throws Exception {
        var none = http.get("/nodes", null);
        problem(none, 401, "unauthorized");
        assertThat(none.raw().headers().firstValue("www-authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        problem(http.get("/nodes", "csk_not-a-key"), 401, "unauthorized");
        problem(http.get("/events", null), 401, "unauthorized");
        // the join token is not an API key, and an API key is not the join token
        problem(http.get("/nodes", JOIN), 401, "unauthorized");
        problem(http.post("/nodes/register", ADMIN,
                "{\"id\":\"n2\",\"role\":\"edge\",\"region\":\"eu\",\"host\":\"127.0.0.1\",\"srtPort\":9100,\"httpPort\":8180}"),
                403, "join-token-invalid");
    }

    @Test
    void nodeWithBadJoinTokenIsRefused() throws Exception {
        var r = http.post("/nodes/register", "wrong-token-0123456789",
                "{\"id\":\"intruder\",\"role\":\"edge\",\"region\":\"eu\",\"host\":\"127.0.0.1\",\"srtPort\":9100,\"httpPort\":8180}");
        problem(r, 403, "join-token-invalid");
        problem(http.post("/nodes/register", null,
                "{\"id\":\"intruder\",\"role\":\"edge\",\"region\":\"eu\",\"host\":\"127.0.0.1\",\"srtPort\":9100,\"httpPort\":8180}"),
                401, "unauthorized");
        problem(http.get("/nodes/intruder", ADMIN), 404, "node-not-found");
    }

    @Test
    void readOnlyKeyCannotChangeAnything() throws Exception {
        var created = http.post("/apikeys", ADMIN, "{\"name\":\"viewer\",\"role\":\"read-only\"}");
        assertThat(created.status()).isEqualTo(201);
        String key = created.json().path("key").asText();
        assertThat(key).startsWith("csk_");
        assertThat(http.get("/nodes", key).status()).isEqualTo(200);
        problem(http.post("/nodegroups", key, GROUP), 403, "forbidden");
        problem(http.get("/apikeys", key), 403, "forbidden");
        // the key list never shows keys, and a revoked key stops working
        assertThat(http.get("/apikeys", ADMIN).body()).doesNotContain(key);
        assertThat(http.delete("/apikeys/" + created.json().path("id").asText(), ADMIN).status()).isEqualTo(204);
        problem(http.get("/nodes", key), 401, "unauthorized");
    }

    @Test
    void unknownIds() throws Exception {
        problem(http.get("/nodes/no-such-node", ADMIN), 404, "node-not-found");
        problem(http.post("/nodes/no-such-node/drain", ADMIN, "{}"), 404, "node-not-found");
        problem(http.delete("/nodes/no-such-node", ADMIN), 404, "node-not-found");
        problem(http.get("/nodegroups/no-such-group", ADMIN), 404, "node-group-not-found");
        problem(http.put("/nodegroups/no-such-group", ADMIN, GROUP.replace("g1", "no-such-group")), 404, "node-group-not-found");
        problem(http.delete("/nodegroups/no-such-group", ADMIN), 404, "node-group-not-found");
        problem(http.delete("/apikeys/key-000000000000", ADMIN), 404, "api-key-not-found");
        problem(http.get("/streams/live/never", ADMIN), 404, "stream-not-found");
        problem(http.put("/nodes/ghost/heartbeat", JOIN, "{\"ready\":true,\"load\":{\"cpu\":0,\"mbpsIn\":0,\"mbpsOut\":0,"
                + "\"publishers\":0,\"subscribers\":0,\"streams\":0}}"), 404, "node-not-registered");
        problem(http.get("/routes/live/x?node=ghost", JOIN), 404, "node-not-registered");
        problem(http.get("/no/such/endpoint", ADMIN), 404, "not-found");
    }

    @Test
    void badParameters() throws Exception {
        problem(http.get("/streams/live/bad%20name/subscribe", null), 400, "bad-stream");
        problem(http.get("/streams/live/" + "n".repeat(65) + "/publish", null), 400, "bad-stream");
        problem(http.get("/streams/live/x/subscribe?region=EU%20West", null), 400, "bad-parameter");
        problem(http.get("/nodes?limit=0", ADMIN), 400, "bad-parameter");
        problem(http.get("/nodes?limit=ten", ADMIN), 400, "bad-parameter");
        problem(http.get("/nodes?state=RUNNING", ADMIN), 400, "bad-parameter");
        problem(http.get("/routes/live/x", JOIN), 400, "bad-parameter");
    }

    @Test
    void wrongMethod() throws Exception {
        problem(http.delete("/cluster", ADMIN), 405, "method-not-allowed");
    }

    @Test
    void conflicts() throws Exception {
        String group = GROUP.replace("g1", "dup");
        assertThat(http.post("/nodegroups", ADMIN, group).status()).isEqualTo(201);
        problem(http.post("/nodegroups", ADMIN, group), 409, "conflict");
        problem(http.post("/nodegroups", ADMIN, "{\"name\":\"dup2\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu\",\"min\":1,\"max\":2},"
                + "{\"role\":\"edge\",\"region\":\"eu\",\"min\":1,\"max\":3}]}"), 400, "invalid-value");
        assertThat(http.register("leaver", "edge", "eu", 9100, 8180).status()).isEqualTo(200);
        assertThat(http.post("/nodes/leaver/deregister", JOIN, "{}").status()).isEqualTo(204);
        problem(http.post("/nodes/leaver/drain", ADMIN, "{}"), 409, "conflict");
    }

    @Test
    void badNodeGroupsAndScheduledEventsAreRefusedWithTheFieldNamed() throws Exception {
        var cloud = http.post("/nodegroups", ADMIN, "{\"name\":\"c1\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu\","
                + "\"min\":1,\"max\":2,\"clouds\":[{\"cloud\":\"ibm\"}]}]}");
        problem(cloud, 400, "invalid-value");
        assertThat(cloud.json().path("detail").asText()).contains("rules[0].clouds[0].cloud").contains("aws, azure");
        var region = http.post("/nodegroups", ADMIN, "{\"name\":\"c2\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu-west\","
                + "\"min\":1,\"max\":2,\"clouds\":[{\"cloud\":\"gcp\"}]}]}");
        problem(region, 400, "invalid-value");
        assertThat(region.json().path("detail").asText()).contains("gcp has no region 'eu-west'");
        var unknownRegion = http.post("/nodegroups", ADMIN, "{\"name\":\"c3\",\"rules\":[{\"role\":\"edge\",\"region\":\"eu\","
                + "\"min\":1,\"max\":2,\"clouds\":[{\"cloud\":\"aws\",\"cloudRegion\":\"eu-middle-9\"}]}]}");
        problem(unknownRegion, 400, "invalid-value");
        assertThat(unknownRegion.json().path("detail").asText()).contains("aws has no region 'eu-middle-9'");

        assertThat(http.post("/nodegroups", ADMIN, GROUP.replace("g1", "ev")).status()).isEqualTo(201);
        var backwards = http.post("/scheduledevents", ADMIN, "{\"group\":\"ev\",\"start\":\"2026-12-31T20:00:00Z\","
                + "\"end\":\"2026-12-31T19:00:00Z\",\"expectedViewers\":10}");
        problem(backwards, 400, "invalid-value");
        assertThat(backwards.json().path("detail").asText()).contains("end").contains("must be after start");
        var noGroup = http.post("/scheduledevents", ADMIN, "{\"group\":\"nope\",\"start\":\"2026-12-31T20:00:00Z\","
                + "\"end\":\"2026-12-31T21:00:00Z\"}");
        problem(noGroup, 400, "invalid-value");
        assertThat(noGroup.json().path("detail").asText()).contains("no node group 'nope'");
        var badRegion = http.post("/scheduledevents", ADMIN, "{\"group\":\"ev\",\"region\":\"us\",\"start\":\"2026-12-31T20:00:00Z\","
                + "\"end\":\"2026-12-31T21:00:00Z\"}");
        problem(badRegion, 400, "invalid-value");
        assertThat(badRegion.json().path("detail").asText()).contains("has no rule in region 'us'");
        var cron = http.post("/scheduledevents", ADMIN, "{\"group\":\"ev\",\"recurrence\":\"every friday\","
                + "\"start\":\"2026-12-31T20:00:00Z\",\"end\":\"2026-12-31T21:00:00Z\"}");
        problem(cron, 400, "invalid-value");
        assertThat(cron.json().path("detail").asText()).contains("recurrence");
        problem(http.post("/scheduledevents", ADMIN, "{\"group\":\"ev\",\"start\":\"tomorrow\",\"end\":\"2026-12-31T21:00:00Z\"}"),
                400, "bad-type");
        problem(http.get("/scheduledevents/nope", ADMIN), 400, "bad-parameter");
        problem(http.get("/scheduledevents/ev_000000000000", ADMIN), 404, "scheduled-event-not-found");
        problem(http.delete("/scheduledevents/ev_000000000000", ADMIN), 404, "scheduled-event-not-found");
        problem(http.get("/decisions?limit=0", ADMIN), 400, "bad-parameter");

        var ok = http.post("/scheduledevents", ADMIN, "{\"name\":\"final\",\"group\":\"ev\",\"start\":\"2026-12-31T20:00:00Z\","
                + "\"end\":\"2026-12-31T21:00:00Z\",\"expectedViewers\":10,\"recurrence\":\"0 20 * * 5\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        String id = ok.json().path("id").asText();
        assertThat(ok.raw().headers().firstValue("location")).hasValue("/api/v1/scheduledevents/" + id);
        assertThat(http.get("/scheduledevents?group=ev", ADMIN).json().path("items").get(0).path("id").asText()).isEqualTo(id);
        assertThat(http.delete("/scheduledevents/" + id, ADMIN).status()).isEqualTo(204);
    }

    static final String LADDER = "{\"ladder\":[{\"level\":1,\"width\":1280,\"height\":720,\"bitrateKbps\":2500,\"fps\":30},"
            + "{\"level\":2,\"width\":854,\"height\":480,\"bitrateKbps\":1000,\"fps\":30}]";

    private static void invalid(Http.Response r, String detail) {
        problem(r, 400, "invalid-value");
        assertThat(r.json().path("detail").asText()).isEqualTo(detail);
    }

    @Test
    void badProvisionsAreRefusedWithTheFieldNamed() throws Exception {
        String path = "/streams/live/abr/provision";
        invalid(http.put(path, ADMIN, LADDER.replace("\"bitrateKbps\":1000", "\"bitrateKbps\":3000") + "}"),
                "ladder[1].bitrateKbps: must be below level 1's 2500 (got 3000)");
        invalid(http.put(path, ADMIN, LADDER + ",\"source\":{\"width\":1024,\"height\":576}}"),
                "ladder[0].width: must be at most the source's 1024 (got 1280)");
        invalid(http.put(path, ADMIN, LADDER.replace("\"fps\":30}]", "\"fps\":0}]") + "}"),
                "ladder[1].fps: must be between 1 and 120 (got 0)");
        invalid(http.put(path, ADMIN, LADDER + ",\"policy\":{\"startLevel\":3}}"),
                "policy.startLevel: the ladder has no level 3 (it has levels 1 to 2)");
        invalid(http.put(path, ADMIN, LADDER.replace("\"level\":2", "\"level\":3") + "}"),
                "ladder[1].level: levels must be 1, 2, 3... in order, level 1 the highest (expected 2, got 3)");
        invalid(http.put(path, ADMIN, "{\"ladder\":[]}"), "ladder: must have 1 to 8 levels");
        problem(http.put(path, ADMIN, LADDER + ",\"policy\":{\"upDelay\":5}}"), 400, "unknown-field");
        problem(http.put("/streams/live/bad%20name/provision", ADMIN, LADDER + "}"), 400, "bad-stream");
        problem(http.get(path, ADMIN), 404, "provision-not-found");
        problem(http.delete(path, ADMIN), 404, "provision-not-found");
        // a node group's default ladder is checked the same way
        var groupAbr = http.post("/nodegroups", ADMIN, GROUP.replace("g1", "abr").replace("}]}", "}],\"abr\":"
                + LADDER.replace("\"width\":854", "\"width\":1920") + "}}"));
        invalid(groupAbr, "abr.ladder[1].width: must be at most level 1's 1280 (got 1920)");
    }

    @Test
    void provisionRoundTrip() throws Exception {
        String path = "/streams/live/abr-ok/provision";
        var put = http.put(path, ADMIN, LADDER + ",\"policy\":{\"upHeadroom\":1.5}}");
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        assertThat(put.json().path("policy").path("startLevel").asInt()).isEqualTo(2);
        assertThat(put.json().path("policy").path("downThreshold").asDouble()).isEqualTo(0.9);
        assertThat(put.json().path("policy").path("upHeadroom").asDouble()).isEqualTo(1.5);
        assertThat(put.json().path("policy").path("upDelayMs").asInt()).isEqualTo(4000);
        assertThat(put.json().path("updatedAt").asText()).isNotBlank();
        var get = http.get(path, ADMIN);
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.json()).isEqualTo(put.json());
        assertThat(get.json().path("ladder").get(1).path("bitrateKbps").asInt()).isEqualTo(1000);

        var created = http.post("/apikeys", ADMIN, "{\"name\":\"abr-viewer\",\"role\":\"read-only\"}");
        String key = created.json().path("key").asText();
        assertThat(http.get(path, key).status()).isEqualTo(200);
        problem(http.put(path, key, LADDER + "}"), 403, "forbidden");
        problem(http.delete(path, key), 403, "forbidden");

        assertThat(http.delete(path, ADMIN).status()).isEqualTo(204);
        problem(http.get(path, ADMIN), 404, "provision-not-found");

        var group = http.post("/nodegroups", ADMIN, GROUP.replace("g1", "abr-ok").replace("}]}", "}],\"abr\":" + LADDER + "}}"));
        assertThat(group.status()).as(group.body()).isEqualTo(201);
        assertThat(group.json().path("abr").path("policy").path("startLevel").asInt()).isEqualTo(2);
    }

    /** The node-facing effective provision: join token only, the stream key checked, 404 when no ladder applies. */
    @Test
    void effectiveAbrNeedsTheJoinTokenAndALadder() throws Exception {
        String path = "/streams/live/abr-node/abr";
        problem(http.get(path, null), 401, "unauthorized");
        problem(http.get(path, ADMIN), 403, "join-token-invalid");
        problem(http.get("/streams/live/bad%20name/abr", JOIN), 400, "bad-stream");
        var none = http.get(path, JOIN);
        problem(none, 404, "provision-not-found");
        assertThat(none.json().path("detail").asText()).contains("live/abr-node has no provision");

        assertThat(http.put("/streams/live/abr-node/provision", ADMIN, LADDER + "}").status()).isEqualTo(200);
        var own = http.get(path, JOIN);
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.json().path("stream").asText()).isEqualTo("live/abr-node");
        assertThat(own.json().path("from").asText()).isEqualTo("stream");
        assertThat(own.json().path("ladder").size()).isEqualTo(2);
        assertThat(own.json().path("policy").path("startLevel").asInt()).isEqualTo(2);
        // not published, so no transcoder: present, and null
        assertThat(own.json().has("transcoder")).isTrue();
        assertThat(own.json().path("transcoder").isNull()).isTrue();
        assertThat(http.delete("/streams/live/abr-node/provision", ADMIN).status()).isEqualTo(204);
        problem(http.get(path, JOIN), 404, "provision-not-found");
    }

    /** A transcoder registers without an SRT port and with its jobs; other roles may do neither. */
    @Test
    void onlyTranscodersRegisterWithoutSrtPortOrWithJobs() throws Exception {
        String transcoder = "{\"id\":\"tc-1\",\"role\":\"transcoder\",\"region\":\"eu\",\"host\":\"127.0.0.1\",\"srtPort\":0,"
                + "\"httpPort\":8200,\"capacity\":{\"maxJobs\":4}}";
        var ok = http.post("/nodes/register", JOIN, transcoder);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(http.get("/nodes/tc-1", ADMIN).json().path("capacity").path("maxJobs").asInt()).isEqualTo(4);
        invalid(http.post("/nodes/register", JOIN, transcoder.replace("transcoder", "edge")),
                "srtPort: must be between 1 and 65535 (got 0)");
        invalid(http.post("/nodes/register", JOIN, transcoder.replace("transcoder", "edge").replace("\"srtPort\":0", "\"srtPort\":9100")),
                "capacity.maxJobs: only transcoders run transcode jobs (role is edge)");
        invalid(http.post("/nodegroups", ADMIN, GROUP.replace("g1", "jobs").replace("\"max\":4", "\"max\":4,\"capacity\":{\"maxJobs\":2}")),
                "rules[0].capacity.maxJobs: only transcoders run transcode jobs (role is edge)");
    }

    @Test
    void noCapacityIs503WithRetryAfter() throws Exception {
        var r = http.get("/streams/live/nobody-home/subscribe?region=mars", null);
        // no edge is registered in this test's cluster at all
        problem(r, 503, "no-capacity");
        assertThat(r.raw().headers().firstValue("retry-after")).hasValue("5");
    }

    @Test
    void rejectionsAreCounted() throws Exception {
        problem(http.post("/nodegroups", ADMIN, "{"), 400, "bad-json");
        assertThat(http.get("/metrics", null).body()).contains("cascade_manager_rejections_total{reason=\"bad-json\"}");
    }

    /** After every test: no request was answered 500 and nothing was logged as an error. */
    static void nothingWasA500() throws Exception {
        String metrics = http.get("/metrics", null).body();
        assertThat(metrics).contains("cascade_manager_requests_total");
        assertThat(metrics).doesNotContain("status=\"500\"");
        assertThat(manager.logText()).doesNotContain("ERROR");
    }
}
