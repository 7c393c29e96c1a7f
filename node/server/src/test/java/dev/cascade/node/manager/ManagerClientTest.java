package dev.cascade.node.manager;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.manager.ManagerClient.State;
import dev.cascade.node.manager.ManagerMessages.NodeStream;
import dev.cascade.node.manager.ScriptedManager.Answer;
import dev.cascade.node.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The node's membership against a scripted manager: registration, heartbeats, failover, re-registration, refusal. */
class ManagerClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REGISTER = "/api/v1/nodes/register";
    private static final String HEARTBEAT = "/api/v1/nodes/edge-1/heartbeat";
    private static final String DEREGISTER = "/api/v1/nodes/edge-1/deregister";
    private static final NodeReport REPORT = new NodeReport(1.5, 3.25, 0, 2, 1,
            List.of(new NodeStream("live/a", false, 2, 1500, "relay-1")), false);

    private Vertx vertx;
    private final List<ScriptedManager> managers = new ArrayList<>();
    private NodeMetrics metrics;
    private ManagerClient client;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (client != null) {
            client.stop().get(3, TimeUnit.SECONDS);
        }
        managers.forEach(ScriptedManager::close);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private ScriptedManager manager(ScriptedManager.Script script) throws Exception {
        ScriptedManager m = new ScriptedManager(script);
        managers.add(m);
        return m;
    }

    /** A manager that accepts the node and its heartbeats (interval 100 ms). */
    private static Answer accepting(ScriptedManager.Request r, int nth) {
        if (r.path().equals(REGISTER)) {
            return Answer.json(200, "{\"id\":\"edge-1\",\"state\":\"STARTING\",\"heartbeatIntervalMs\":100,\"heartbeatTimeoutMs\":300}");
        }
        if (r.path().equals(HEARTBEAT)) {
            return Answer.json(200, "{\"state\":\"INSERVICE\"}");
        }
        return Answer.empty(204);
    }

    private ManagerClient start(Map<String, String> extra, String... urls) {
        return start(extra, c -> { }, urls);
    }

    private ManagerClient start(Map<String, String> extra, java.util.function.Consumer<ManagerClient> beforeStart,
                                String... urls) {
        Map<String, String> sets = new HashMap<>(Map.of(
                "node.role", "edge", "node.id", "edge-1", "node.region", "eu-west", "node.cloud", "aws",
                "node.group", "g1", "node.publicHost", "203.0.113.9", "node.capacity.maxSubscribers", "500",
                "manager.urls", String.join(",", urls), "manager.joinToken", "s3cret-token",
                "manager.retryMs", "100"));
        // Generous for a loaded build machine; the timeout test sets its own.
        sets.put("manager.requestTimeoutMs", "1000");
        sets.putAll(extra);
        NodeConfig cfg = NodeConfig.loader().load(null, Map.of(), sets);
        metrics = new NodeMetrics(cfg);
        ManagerApi api = new ManagerApi(vertx, cfg.managerUrls(), cfg.manager().joinToken(), cfg.manager().requestTimeoutMs(),
                metrics);
        client = new ManagerClient(api, ManagerMessages.NodeRegistration.of(cfg),
                () -> CompletableFuture.completedFuture(REPORT), () -> 0.25, cfg.manager().retryMs());
        beforeStart.accept(client);
        client.start();
        return client;
    }

    private double requests(String call, String outcome) {
        var c = metrics.registry().find("cascade_manager_client_requests").tags("call", call, "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private static void await(String what, Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out after " + within + " waiting until " + what);
    }

    private static Set<String> fields(JsonNode n) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void registersThenHeartbeatsWithTheDocumentedBodiesAtTheAnsweredInterval() throws Exception {
        ScriptedManager m = manager(ManagerClientTest::accepting);
        start(Map.of(), m.url());
        await("four heartbeats", Duration.ofSeconds(5), () -> m.requests("PUT", HEARTBEAT).size() >= 4);

        ScriptedManager.Request reg = m.requests.get(0);
        assertThat(reg.method()).isEqualTo("POST");
        assertThat(reg.path()).isEqualTo(REGISTER);
        assertThat(reg.authorization()).isEqualTo("Bearer s3cret-token");
        assertThat(reg.contentType()).startsWith("application/json");
        JsonNode r = JSON.readTree(reg.body());
        // The manager rejects unknown fields: exactly the NodeRegistration schema's, no more.
        assertThat(fields(r)).containsExactlyInAnyOrder("id", "role", "region", "cloud", "group", "host", "srtPort",
                "httpPort", "webrtcPort", "capacity");
        assertThat(r.get("id").asText()).isEqualTo("edge-1");
        assertThat(r.get("role").asText()).isEqualTo("edge");
        assertThat(r.get("region").asText()).isEqualTo("eu-west");
        assertThat(r.get("cloud").asText()).isEqualTo("aws");
        assertThat(r.get("group").asText()).isEqualTo("g1");
        assertThat(r.get("host").asText()).isEqualTo("203.0.113.9");
        assertThat(r.get("srtPort").asInt()).isEqualTo(9100);
        assertThat(r.get("httpPort").asInt()).isEqualTo(8180);
        assertThat(r.get("webrtcPort").asInt()).isEqualTo(10100);
        assertThat(fields(r.get("capacity"))).containsExactlyInAnyOrder("maxSubscribers", "maxPublishers", "maxMbpsOut");
        assertThat(r.get("capacity").get("maxSubscribers").asInt()).isEqualTo(500);

        List<ScriptedManager.Request> beats = m.requests("PUT", HEARTBEAT);
        ScriptedManager.Request hb = beats.get(0);
        assertThat(hb.authorization()).isEqualTo("Bearer s3cret-token");
        JsonNode h = JSON.readTree(hb.body());
        assertThat(fields(h)).containsExactlyInAnyOrder("ready", "load", "streams");
        assertThat(h.get("ready").asBoolean()).isTrue();
        assertThat(fields(h.get("load"))).containsExactlyInAnyOrder("cpu", "mbpsIn", "mbpsOut", "publishers", "subscribers",
                "streams");
        assertThat(h.get("load").get("cpu").asDouble()).isEqualTo(0.25);
        assertThat(h.get("load").get("mbpsOut").asDouble()).isEqualTo(3.25);
        assertThat(h.get("load").get("streams").asInt()).isEqualTo(1);
        JsonNode s = h.get("streams").get(0);
        assertThat(fields(s)).containsExactlyInAnyOrder("key", "publishing", "subscribers", "kbps", "upstream");
        assertThat(s.get("key").asText()).isEqualTo("live/a");
        assertThat(s.get("upstream").asText()).isEqualTo("relay-1");

        // The first heartbeat follows the registration at once (ready), the next ones keep the interval.
        long firstToFourth = TimeUnit.NANOSECONDS.toMillis(beats.get(3).atNanos() - beats.get(0).atNanos());
        assertThat(firstToFourth).as("three intervals of 100 ms").isBetween(250L, 1500L);

        ManagerClient.Status st = client.status();
        assertThat(st.state()).isEqualTo(State.REGISTERED);
        assertThat(st.url()).isEqualTo(m.url());
        assertThat(st.nodeState()).isEqualTo("INSERVICE");
        assertThat(client.registered()).isTrue();
        assertThat(requests("register", "ok")).isEqualTo(1);
        assertThat(requests("heartbeat", "ok")).isGreaterThanOrEqualTo(4);
    }

    @Test
    void connectionErrorAnd5xxMoveToTheNextUrlAtOnceAndTheAnsweringOneIsKept() throws Exception {
        String dead = ScriptedManager.deadUrl();
        ScriptedManager failing = manager((r, n) -> Answer.problem(503, "cluster-unavailable", "Hazelcast did not answer"));
        ScriptedManager good = manager(ManagerClientTest::accepting);
        start(Map.of(), dead, failing.url(), good.url());
        await("registered and heartbeating at the third URL", Duration.ofSeconds(5),
                () -> good.requests("PUT", HEARTBEAT).size() >= 3);

        assertThat(good.requests("POST", REGISTER)).hasSize(1);
        assertThat(failing.requests).as("the 503 manager was asked once, then left").hasSize(1);
        assertThat(requests("register", "unreachable")).isEqualTo(1);
        assertThat(requests("register", "server_error")).isEqualTo(1);
        assertThat(requests("register", "ok")).isEqualTo(1);
        assertThat(metrics.registry().find("cascade_manager_client_failovers").counter().count()).isEqualTo(2);
        assertThat(client.status().state()).isEqualTo(State.REGISTERED);
        assertThat(client.status().url()).isEqualTo(good.url());
    }

    @Test
    void aManagerThatDoesNotAnswerInTimeIsLeftForTheNext() throws Exception {
        ScriptedManager slow = manager((r, n) -> accepting(r, n).after(3000));
        ScriptedManager good = manager(ManagerClientTest::accepting);
        long t0 = System.nanoTime();
        start(Map.of("manager.requestTimeoutMs", "300"), slow.url(), good.url());
        await("registered at the second URL", Duration.ofSeconds(3), () -> client.registered());
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("one 300 ms timeout, not the 3 s answer")
                .isLessThan(2000);
        assertThat(requests("register", "timeout")).isEqualTo(1);
        assertThat(client.status().url()).isEqualTo(good.url());
    }

    /** A transcoder registers with no SRT port and its jobs as capacity, and hears every heartbeat answer (its jobs). */
    @Test
    void aTranscoderRegistersItsJobsAndHearsEveryHeartbeatAnswer() throws Exception {
        ScriptedManager m = manager((r, n) -> r.path().equals(HEARTBEAT)
                ? Answer.json(200, "{\"state\":\"INSERVICE\",\"transcodes\":[{\"stream\":\"live/a\",\"n\":" + n + "}]}")
                : accepting(r, n));
        List<JsonNode> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        start(Map.of("node.role", "transcoder", "transcoder.maxJobs", "3", "node.capacity.maxSubscribers", "0"),
                c -> c.onHeartbeatAnswer(answers::add), m.url());
        await("three answers heard", Duration.ofSeconds(5), () -> answers.size() >= 3);
        JsonNode r = JSON.readTree(m.requests.get(0).body());
        assertThat(r.get("role").asText()).isEqualTo("transcoder");
        assertThat(r.get("srtPort").asInt()).isZero();
        assertThat(r.get("httpPort").asInt()).isEqualTo(8200);
        assertThat(r.get("webrtcPort").asInt()).isZero();
        assertThat(r.get("capacity").get("maxJobs").asInt()).isEqualTo(3);
        assertThat(answers.get(0).path("transcodes").get(0).path("stream").asText()).isEqualTo("live/a");
        assertThat(answers.get(2).path("transcodes").get(0).path("n").asInt())
                .isGreaterThan(answers.get(0).path("transcodes").get(0).path("n").asInt());
    }

    @Test
    void registersAgainWhenTheManagerNoLongerKnowsTheNode() throws Exception {
        ScriptedManager m = manager((r, n) -> r.path().equals(HEARTBEAT) && n == 3
                ? Answer.problem(404, "node-not-registered", "node edge-1 is FAILED") : accepting(r, n));
        start(Map.of(), m.url());
        await("heartbeats after the second registration", Duration.ofSeconds(5),
                () -> m.requests("POST", REGISTER).size() == 2 && m.requests("PUT", HEARTBEAT).size() >= 5);
        List<String> order = m.requests.stream().limit(6).map(r -> r.method() + " " + r.path()).toList();
        assertThat(order).containsExactly("POST " + REGISTER, "PUT " + HEARTBEAT, "PUT " + HEARTBEAT, "PUT " + HEARTBEAT,
                "POST " + REGISTER, "PUT " + HEARTBEAT);
        assertThat(requests("heartbeat", "not_registered")).isEqualTo(1);
        assertThat(client.status().state()).isEqualTo(State.REGISTERED);
    }

    @Test
    void aRefusedJoinTokenIsShownLoggedOnceCountedAndRetriedSlowly() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(ManagerClient.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            ScriptedManager m = manager((r, n) -> Answer.problem(403, "join-token-invalid", "not this cluster's join token"));
            start(Map.of(), m.url());
            await("two refused registrations", Duration.ofSeconds(6), () -> m.requests("POST", REGISTER).size() >= 2);

            ManagerClient.Status st = client.status();
            assertThat(st.state()).isEqualTo(State.REFUSED);
            assertThat(st.url()).isEqualTo(m.url());
            assertThat(st.detail()).contains("403", "join-token-invalid", "not this cluster's join token");
            List<ScriptedManager.Request> regs = m.requests("POST", REGISTER);
            long gapMs = TimeUnit.NANOSECONDS.toMillis(regs.get(1).atNanos() - regs.get(0).atNanos());
            assertThat(gapMs).as("retried at 16 x retryMs (1.6 s), not at once").isGreaterThanOrEqualTo(1500);
            assertThat(m.requests("PUT", HEARTBEAT)).isEmpty();
            assertThat(requests("register", "refused")).isEqualTo(2);
            List<ILoggingEvent> errors = logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).toList();
            assertThat(errors).as("logged once, however often it is retried").hasSize(1);
            assertThat(errors.get(0).getFormattedMessage()).contains("join token", "manager.joinToken");

            // The managers' token is fixed: the next slow retry gets in.
            m.script = ManagerClientTest::accepting;
            await("registered after the token was accepted", Duration.ofSeconds(4), () -> client.registered());
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    void noManagerAnsweringIsShownAndRetriedWithBackoff() throws Exception {
        String a = ScriptedManager.deadUrl();
        String b = ScriptedManager.deadUrl();
        start(Map.of(), a, b);
        await("unreachable", Duration.ofSeconds(3), () -> client.status().state() == State.UNREACHABLE);
        assertThat(client.status().detail()).contains(a, b);
        assertThat(client.status().url()).isIn(a, b);
        // Each round tries both URLs. Rounds are 100, 200, 400, 800 ms apart (then 1.6 s), so the four
        // delays after any round add up to at least 1.5 s (a fixed 100 ms retry: 0.4 s). A lower bound
        // only: a slow machine makes the gap longer, never shorter.
        await("first round", Duration.ofSeconds(5), () -> requests("register", "unreachable") >= 2);
        double seen = requests("register", "unreachable");
        long first = System.nanoTime();
        await("four more rounds", Duration.ofSeconds(20), () -> requests("register", "unreachable") >= seen + 8);
        long gapMs = (System.nanoTime() - first) / 1_000_000;
        assertThat(gapMs).as("four backoff delays, doubling from 100 ms").isGreaterThanOrEqualTo(1400);
    }

    @Test
    void stopDeregistersAndIsBoundedEvenWhenTheManagerHangs() throws Exception {
        ScriptedManager m = manager(ManagerClientTest::accepting);
        start(Map.of(), m.url());
        await("registered", Duration.ofSeconds(3), () -> client.registered());
        client.stop().get(2, TimeUnit.SECONDS);
        assertThat(m.requests("POST", DEREGISTER)).hasSize(1);
        assertThat(m.requests("POST", DEREGISTER).get(0).authorization()).isEqualTo("Bearer s3cret-token");
        assertThat(client.status().state()).isEqualTo(State.STOPPED);
        int heartbeats = m.requests("PUT", HEARTBEAT).size();
        Thread.sleep(300);
        assertThat(m.requests("PUT", HEARTBEAT)).as("no heartbeat after stop").hasSize(heartbeats);
        client = null;

        ScriptedManager hanging = manager((r, n) -> r.path().equals(DEREGISTER) ? Answer.empty(204).after(5000) : accepting(r, n));
        start(Map.of("manager.requestTimeoutMs", "5000"), hanging.url());
        await("registered", Duration.ofSeconds(3), () -> client.registered());
        long t0 = System.nanoTime();
        client.stop().get(3, TimeUnit.SECONDS);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1500);
        client = null;
    }
}
