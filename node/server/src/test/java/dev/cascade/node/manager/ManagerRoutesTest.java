package dev.cascade.node.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.ingest.relay.UpstreamResolver.NotFound;
import dev.cascade.node.ingest.relay.UpstreamResolver.Route;
import dev.cascade.node.ingest.relay.UpstreamResolver.Unavailable;
import dev.cascade.node.ingest.relay.UpstreamResolver.Upstream;
import dev.cascade.node.manager.ScriptedManager.Answer;
import dev.cascade.node.metrics.NodeMetrics;
import dev.cascade.protocol.streamid.StreamId;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Route asks against a scripted manager: the request, the answers, failover. */
class ManagerRoutesTest {
    private static final StreamId MATCH = StreamId.request("live", "match1");
    private static final String ROUTE = "/api/v1/routes/live/match1";
    private static final String RELAY_2 = "{\"stream\":\"live/match1\",\"node\":\"edge-1\",\"upstream\":{\"id\":\"relay-2\","
            + "\"role\":\"relay\",\"region\":\"eu-west\",\"host\":\"10.0.0.7\",\"srtPort\":9050,\"httpPort\":8150}}";

    private Vertx vertx;
    private final List<ScriptedManager> managers = new ArrayList<>();
    private ManagerApi api;
    private NodeMetrics metrics;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void tearDown() throws Exception {
        managers.forEach(ScriptedManager::close);
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private ScriptedManager manager(ScriptedManager.Script script) throws Exception {
        ScriptedManager m = new ScriptedManager(script);
        managers.add(m);
        return m;
    }

    private ManagerRoutes routes(String... urls) {
        NodeConfig cfg = NodeConfig.loader().load(null, Map.of(), Map.of("node.role", "edge", "node.id", "edge-1",
                "manager.urls", String.join(",", urls), "manager.joinToken", "tok", "manager.requestTimeoutMs", "300"));
        metrics = new NodeMetrics(cfg);
        api = new ManagerApi(vertx, cfg.managerUrls(), cfg.manager().joinToken(), cfg.manager().requestTimeoutMs(), metrics);
        return new ManagerRoutes(api, cfg.nodeId());
    }

    private static Route ask(ManagerRoutes routes, List<String> exclude) throws Exception {
        return routes.resolve(MATCH, exclude).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void asksWithTheNodeAndTheFailedUpstreamsAndConnectsWhereTheAnswerSays() throws Exception {
        ScriptedManager m = manager((r, n) -> Answer.json(200, RELAY_2));
        ManagerRoutes routes = routes(m.url());

        assertThat(ask(routes, List.of())).isEqualTo(new Upstream("relay-2", "10.0.0.7", 9050));
        assertThat(ask(routes, List.of("relay-1", "relay-3"))).isEqualTo(new Upstream("relay-2", "10.0.0.7", 9050));

        assertThat(m.requests).hasSize(2);
        ScriptedManager.Request first = m.requests.get(0);
        assertThat(first.method()).isEqualTo("GET");
        assertThat(first.path()).isEqualTo(ROUTE);
        assertThat(first.query()).isEqualTo("node=edge-1");
        assertThat(first.authorization()).isEqualTo("Bearer tok");
        assertThat(m.requests.get(1).query()).isEqualTo("node=edge-1&exclude=relay-1,relay-3");
        assertThat(metrics.registry().find("cascade_manager_client_requests").tags("call", "route", "outcome", "ok").counter().count())
                .isEqualTo(2);
    }

    @Test
    void streamNotFoundIsRetriedLikeA1404() throws Exception {
        ScriptedManager m = manager((r, n) -> Answer.problem(404, "stream-not-found", "no origin holds live/match1"));
        Route r = ask(routes(m.url()), List.of());
        assertThat(r).isInstanceOfSatisfying(NotFound.class, nf -> assertThat(nf.detail()).contains("no origin holds"));
    }

    @Test
    void a5xxOrADeadManagerMovesToTheNextUrlAndTheNextAskStartsThere() throws Exception {
        String dead = ScriptedManager.deadUrl();
        ScriptedManager busy = manager((r, n) -> Answer.problem(503, "cluster-unavailable", "try another member"));
        ScriptedManager good = manager((r, n) -> Answer.json(200, RELAY_2));
        ManagerRoutes routes = routes(dead, busy.url(), good.url());
        assertThat(ask(routes, List.of())).isInstanceOf(Upstream.class);
        assertThat(ask(routes, List.of())).isInstanceOf(Upstream.class);
        assertThat(busy.requests).hasSize(1);
        assertThat(good.requests).hasSize(2);
        assertThat(api.currentUrl()).isEqualTo(good.url());
    }

    @Test
    void noManagerAnsweringIsUnavailableAndNamesWhatEachDid() throws Exception {
        String dead = ScriptedManager.deadUrl();
        ScriptedManager full = manager((r, n) -> Answer.problem(503, "no-capacity", "no relay has room"));
        Route r = ask(routes(dead, full.url()), List.of());
        assertThat(r).isInstanceOfSatisfying(Unavailable.class,
                u -> assertThat(u.detail()).contains(dead, full.url(), "503 no-capacity"));
    }

    @Test
    void anAnswerWithoutAnSrtPortIsUnavailableWithTheReason() throws Exception {
        ScriptedManager m = manager((r, n) -> Answer.json(200,
                "{\"stream\":\"live/match1\",\"node\":\"edge-1\",\"upstream\":{\"id\":\"relay-2\",\"role\":\"relay\","
                        + "\"region\":\"eu-west\",\"host\":\"10.0.0.7\"}}"));
        Route r = ask(routes(m.url()), List.of());
        assertThat(r).isInstanceOfSatisfying(Unavailable.class, u -> assertThat(u.detail()).contains("srtPort"));
    }

    @Test
    void aRefusedTokenIsUnavailableAndNodeNotRegisteredAsksForARegistration() throws Exception {
        AtomicInteger notRegistered = new AtomicInteger();
        ScriptedManager m = manager((r, n) -> n == 1 ? Answer.problem(403, "join-token-invalid", "bad token")
                : Answer.problem(404, "node-not-registered", "who are you"));
        ManagerRoutes routes = routes(m.url());
        api.onNotRegistered(notRegistered::incrementAndGet);
        assertThat(ask(routes, List.of())).isInstanceOfSatisfying(Unavailable.class,
                u -> assertThat(u.detail()).contains("join-token-invalid"));
        assertThat(ask(routes, List.of())).isInstanceOf(Unavailable.class);
        assertThat(notRegistered.get()).isEqualTo(1);
        assertThat(m.requests).as("a 4xx is an answer: no failover, no retry").hasSize(2);
    }
}
