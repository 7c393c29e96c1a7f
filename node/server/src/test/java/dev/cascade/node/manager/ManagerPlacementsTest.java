package dev.cascade.node.manager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.egress.whep.EdgeFinder;
import dev.cascade.node.manager.ScriptedManager.Answer;
import dev.cascade.node.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A draining edge's asks for another edge: the request, the answers, and no-capacity as a final answer. */
class ManagerPlacementsTest {
    private static final String EDGE_2 = "{\"stream\":\"live/match1\",\"action\":\"subscribe\",\"region\":\"eu-west\","
            + "\"node\":{\"id\":\"edge-2\",\"role\":\"edge\",\"region\":\"eu-west\",\"host\":\"10.0.0.9\",\"srtPort\":9100,"
            + "\"httpPort\":8180},\"whepUrl\":\"http://10.0.0.9:8180/whep/live/match1\","
            + "\"playerUrl\":\"http://10.0.0.9:8180/watch/live/match1\"}";

    private Vertx vertx;
    private final List<ScriptedManager> managers = new ArrayList<>();
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

    private ManagerPlacements placements(String... urls) {
        NodeConfig cfg = NodeConfig.loader().load(null, Map.of(), Map.of("node.role", "edge", "node.id", "edge-1",
                "node.region", "eu-west", "manager.urls", String.join(",", urls), "manager.joinToken", "tok",
                "manager.requestTimeoutMs", "300"));
        metrics = new NodeMetrics(cfg);
        ManagerApi api = new ManagerApi(vertx, cfg.managerUrls(), cfg.manager().joinToken(), cfg.manager().requestTimeoutMs(),
                metrics);
        return new ManagerPlacements(api, cfg.node().region());
    }

    private static EdgeFinder.Answer ask(ManagerPlacements p) throws Exception {
        return p.find("live/match1").toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private double requests(String outcome) {
        var c = metrics.registry().find("cascade_manager_client_requests").tags("call", "subscribe", "outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void asksThePublicSubscribePlacementForItsRegionAndTakesTheWhepUrl() throws Exception {
        ScriptedManager m = manager((r, n) -> Answer.json(200, EDGE_2));
        assertThat(ask(placements(m.url()))).isEqualTo(new EdgeFinder.Found("edge-2", "http://10.0.0.9:8180/whep/live/match1"));
        ScriptedManager.Request r = m.requests.get(0);
        assertThat(r.method()).isEqualTo("GET");
        assertThat(r.path()).isEqualTo("/api/v1/streams/live/match1/subscribe");
        assertThat(r.query()).isEqualTo("region=eu-west");
        assertThat(requests("ok")).isEqualTo(1);
    }

    @Test
    void noCapacityIsAnAnswerTheNextManagerIsNotAskedFor() throws Exception {
        ScriptedManager full = manager((r, n) -> Answer.problem(503, "no-capacity", "no edge in service has room"));
        ScriptedManager other = manager((r, n) -> Answer.json(200, EDGE_2));
        ManagerPlacements p = placements(full.url(), other.url());
        assertThat(ask(p)).isInstanceOfSatisfying(EdgeFinder.NoCapacity.class,
                nc -> assertThat(nc.detail()).contains("503 no-capacity"));
        assertThat(other.requests).as("every manager reads the same cluster: no failover for no-capacity").isEmpty();
        assertThat(requests("no_capacity")).isEqualTo(1);
    }

    @Test
    void aDeadManagerFailsOverAndNoneAnsweringIsFailed() throws Exception {
        String dead = ScriptedManager.deadUrl();
        ScriptedManager good = manager((r, n) -> Answer.json(200, EDGE_2));
        assertThat(ask(placements(dead, good.url()))).isInstanceOf(EdgeFinder.Found.class);
        assertThat(ask(placements(dead))).isInstanceOfSatisfying(EdgeFinder.Failed.class,
                f -> assertThat(f.detail()).contains(dead));
    }

    @Test
    void anAnswerWithoutAWhepUrlOrAnotherRefusalIsFailed() throws Exception {
        ScriptedManager odd = manager((r, n) -> n == 1 ? Answer.json(200, "{\"node\":{\"id\":\"edge-2\"}}")
                : Answer.problem(400, "bad-stream", "live/match1 is not a stream"));
        ManagerPlacements p = placements(odd.url());
        assertThat(ask(p)).isInstanceOfSatisfying(EdgeFinder.Failed.class, f -> assertThat(f.detail()).contains("whepUrl"));
        assertThat(ask(p)).isInstanceOfSatisfying(EdgeFinder.Failed.class, f -> assertThat(f.detail()).contains("bad-stream"));
    }
}
