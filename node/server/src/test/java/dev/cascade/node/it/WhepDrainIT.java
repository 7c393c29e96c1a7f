package dev.cascade.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.client.ServerSentEvents;
import dev.cascade.client.WhepSignaling;
import dev.cascade.node.manager.ScriptedManager;
import dev.cascade.node.manager.ScriptedManager.Answer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real edge whose stand-in stream manager turns it DRAINING: new WHEP sessions get 503
 * node-draining with Retry-After and new SRT viewers 1402; the WHEP viewers that subscribed to
 * server-sent events get a {@code reconnect} naming the edge the manager's subscribe placement
 * answers, once per stream, and only when there is one (with no capacity nothing is sent, the
 * viewers stay, and the next heartbeat asks again). A told viewer's DELETE counts as a completed
 * move. No media is needed: a WHEP session exists from its 201 on.
 */
class WhepDrainIT {
    private static final String TOKEN = "it-join-token";
    private static final String KEY = "live/drain";
    private static final String OTHER_EDGE = "http://127.0.0.1:9/whep/" + KEY;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ScriptedManager manager;
    private NodeProcess edge;
    private volatile String nodeState = "INSERVICE";
    private volatile boolean capacity;

    @AfterEach
    void cleanup() {
        if (edge != null) {
            edge.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    private Answer answer(ScriptedManager.Request r, int nth) {
        if (!("Bearer " + TOKEN).equals(r.authorization())) {
            return Answer.problem(403, "join-token-invalid", "not this cluster's join token");
        }
        String path = r.path();
        if (path.equals("/api/v1/nodes/register")) {
            return Answer.json(200, "{\"state\":\"STARTING\",\"heartbeatIntervalMs\":200,\"heartbeatTimeoutMs\":2000}");
        }
        if (path.endsWith("/heartbeat")) {
            return Answer.json(200, "{\"state\":\"" + nodeState + "\"}");
        }
        if (path.endsWith("/deregister")) {
            return Answer.empty(204);
        }
        if (path.equals("/api/v1/streams/" + KEY + "/subscribe")) {
            return capacity
                    ? Answer.json(200, "{\"stream\":\"" + KEY + "\",\"action\":\"subscribe\",\"region\":\"local\",\"node\":"
                            + "{\"id\":\"edge-other\",\"role\":\"edge\",\"region\":\"local\",\"host\":\"127.0.0.1\",\"srtPort\":9,"
                            + "\"httpPort\":9},\"whepUrl\":\"" + OTHER_EDGE + "\",\"playerUrl\":\"http://127.0.0.1:9/watch/" + KEY + "\"}")
                    : Answer.problem(503, "no-capacity", "no edge in service has room for a viewer in region local");
        }
        // Routes: no relay. The stream never plays here, which a WHEP session before ICE does not need.
        return Answer.problem(503, "no-capacity", "no relay");
    }

    private HttpResponse<String> offer() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort + "/whep/" + KEY))
                .header("content-type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(WhepIT.offer(WhepIT.H264)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private double metric(String name, String... labels) throws Exception {
        return edge.metrics().sum(name, labels);
    }

    @Test
    void aDrainingEdgeRefusesNewViewersAndTellsItsViewersWhereToGoOnceThereIsAnEdge() throws Exception {
        manager = new ScriptedManager(this::answer);
        edge = NodeProcess.start("edge", Ports.free(), Ports.free(), 0, Map.of("manager.urls", manager.url(),
                "manager.joinToken", TOKEN, "manager.requestTimeoutMs", "500"));
        Await.until("the edge is in service", 20, () -> edge.get("/healthz").body().contains("\"nodeState\":\"INSERVICE\""));
        assertThat(metric("cascade_node_draining")).isZero();

        // Two viewers: one takes reconnect events, one does not (it cannot be told, and plays on here).
        WhepSignaling whep = new WhepSignaling();
        HttpResponse<String> first = offer();
        assertThat(first.statusCode()).isEqualTo(201);
        URI session = URI.create("http://127.0.0.1:" + edge.httpPort + first.headers().firstValue("location").orElseThrow());
        URI entry = session.resolve(WhepSignaling.links(first.headers().allValues("link")).get(WhepSignaling.EVENTS_REL));
        URI stream = whep.subscribe(entry, List.of("reconnect"));
        LinkedBlockingQueue<ServerSentEvents.Event> events = new LinkedBlockingQueue<>();
        WhepSignaling.EventStream listening = whep.listen(stream, events::add);
        HttpResponse<String> silent = offer();
        assertThat(silent.statusCode()).isEqualTo(201);
        Await.until("the event stream is open", 10, () -> edge.get("/api/v1/webrtc").body().contains("\"eventStreamConnected\":true"));

        // DRAINING with no other edge: refusals, no event, an ask per heartbeat.
        nodeState = "DRAINING";
        Await.until("the edge knows it is draining", 10, () -> metric("cascade_node_draining") == 1);
        HttpResponse<String> refused = offer();
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("retry-after")).hasValue("5");
        assertThat(refused.headers().firstValue("content-type")).hasValue("application/problem+json");
        JsonNode problem = JSON.readTree(refused.body());
        assertThat(problem.get("type").asText()).isEqualTo("https://cascade.dev/problems/node-draining");
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("detail").asText()).contains("draining", "/api/v1/streams/" + KEY + "/subscribe");
        assertThat(SrtTestClient.rejectCodeOf(edge.srtPort, "#!::r=" + KEY + ",m=request")).as("SRT viewer").isEqualTo(1402);
        assertThat(metric("cascade_rejections_total", "reason", "node_draining")).isGreaterThanOrEqualTo(2);
        Await.until("asked again at later heartbeats", 10,
                () -> metric("cascade_drain_placements_total", "outcome", "no_capacity") >= 3);
        assertThat(events.poll(300, TimeUnit.MILLISECONDS)).as("nothing to tell without another edge").isNull();
        assertThat(metric("cascade_subscribers_told_to_move_total")).isZero();
        List<ScriptedManager.Request> asks = manager.requests("GET", "/api/v1/streams/" + KEY + "/subscribe");
        assertThat(asks.get(0).query()).isEqualTo("region=local");
        assertThat(edge.logText().split("there is no other edge for " + KEY, -1)).as("logged once").hasSize(2);

        // An edge appears: the viewer with events is told, once.
        capacity = true;
        ServerSentEvents.Event reconnect = events.poll(10, TimeUnit.SECONDS);
        assertThat(reconnect).isNotNull();
        assertThat(reconnect.type()).isEqualTo("reconnect");
        assertThat(ServerSentEvents.reconnectUrl(reconnect.data())).isEqualTo(OTHER_EDGE);
        Await.until("counted", 5, () -> metric("cascade_drain_placements_total", "outcome", "ok") >= 1);
        Thread.sleep(600); // three more heartbeats
        assertThat(events.poll(100, TimeUnit.MILLISECONDS)).as("told once").isNull();
        assertThat(metric("cascade_subscribers_told_to_move_total")).isEqualTo(1);
        assertThat(edge.get("/api/v1/webrtc").body()).contains("\"movedTo\":\"" + OTHER_EDGE + "\"");

        // The player moved: it DELETEs its old session here, which ends the event stream too.
        assertThat(whep.delete(session)).isEqualTo(200);
        assertThat(listening.ended().get(5, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(metric("cascade_subscribers_moved_total")).isEqualTo(1);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + edge.httpPort
                + silent.headers().firstValue("location").orElseThrow())).DELETE().build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        assertThat(metric("cascade_subscribers_moved_total")).as("the silent viewer was never told").isEqualTo(1);

        // Back in service (a drain undone): viewers are taken again.
        nodeState = "INSERVICE";
        Await.until("the edge knows it is back", 10, () -> metric("cascade_node_draining") == 0);
        assertThat(offer().statusCode()).isEqualTo(201);
        assertThat(edge.alive()).isTrue();
    }
}
