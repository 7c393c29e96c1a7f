package dev.cascade.node.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.node.MediaNode;
import dev.cascade.node.stream.Stream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves the node's HTTP endpoints on a Vert.x event loop. Nothing here touches the SRT loop's state
 * except through volatile counters, so a slow scrape never delays a packet.
 */
public final class NodeHttpServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MediaNode node;
    private final Vertx vertx;
    private HttpServer server;

    public NodeHttpServer(Vertx vertx, MediaNode node) {
        this.vertx = vertx;
        this.node = node;
    }

    public Future<HttpServer> start() {
        var cfg = node.config();
        return vertx.createHttpServer()
                .requestHandler(this::handle)
                .listen(cfg.httpPort(), cfg.http().bindAddress())
                .onSuccess(s -> server = s);
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        try {
            switch (path) {
                case "/metrics" -> req.response()
                        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(node.metrics().scrape());
                case "/healthz" -> json(req, 200, Map.of("status", "ok", "node", node.config().nodeId(),
                        "role", node.config().node().role().wireName()));
                case "/api/v1/streams" -> json(req, 200, Map.of("streams", streams()));
                default -> problem(req, 404, "Not Found", "no such endpoint: " + path);
            }
        } catch (Exception e) {
            problem(req, 500, "Internal Server Error", e.getClass().getSimpleName());
        }
    }

    private List<Map<String, Object>> streams() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Stream s : node.streams()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stream", s.key());
            m.put("state", s.state().name());
            m.put("source", s.source() == null ? null : s.source().kind());
            m.put("subscribers", s.subscriberCount);
            m.put("bytesIn", s.bytesIn);
            m.put("bytesOut", s.bytesOut);
            m.put("packetsDropped", s.packetsDropped);
            m.put("keyframes", s.keyframes());
            m.put("continuityErrors", s.continuityErrors());
            m.put("syncLossEvents", s.syncLossEvents());
            out.add(m);
        }
        return out;
    }

    private static void json(HttpServerRequest req, int status, Object body) throws Exception {
        req.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(JSON.writeValueAsString(body));
    }

    /** RFC 9457 problem details. */
    private static void problem(HttpServerRequest req, int status, String title, String detail) {
        try {
            req.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
                    .end(JSON.writeValueAsString(Map.of("type", "about:blank", "title", title,
                            "status", status, "detail", detail)));
        } catch (Exception e) {
            req.response().setStatusCode(status).end();
        }
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
