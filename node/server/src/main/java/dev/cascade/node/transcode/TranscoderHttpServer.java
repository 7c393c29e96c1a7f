package dev.cascade.node.transcode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.http.NodeHttpServer;
import dev.cascade.node.manager.ManagerClient;
import dev.cascade.node.metrics.NodeMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transcoder's HTTP port: {@code /metrics}, {@code /healthz} (as every node's), and
 * {@code GET /api/v1/transcodes}, its jobs with their ffmpeg's pid, state, restarts, real-time
 * factor and log file.
 */
public final class TranscoderHttpServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Vertx vertx;
    private final NodeConfig config;
    private final NodeMetrics metrics;
    private final ManagerClient manager;
    private final TranscodeRunner runner;
    private HttpServer server;

    public TranscoderHttpServer(Vertx vertx, NodeConfig config, NodeMetrics metrics, ManagerClient manager,
                                TranscodeRunner runner) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
        this.manager = manager;
        this.runner = runner;
    }

    public Future<HttpServer> start() {
        return vertx.createHttpServer().requestHandler(this::handle)
                .listen(config.httpPort(), config.http().bindAddress())
                .onSuccess(s -> server = s);
    }

    private void handle(HttpServerRequest req) {
        try {
            if (!"GET".equals(req.method().name())) {
                problem(req, 405, "Method Not Allowed", req.method() + " is not allowed on " + req.path());
                return;
            }
            switch (req.path()) {
                case "/metrics" -> req.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                        .end(metrics.scrape());
                case "/healthz" -> json(req, NodeHttpServer.health(config, manager));
                case "/api/v1/transcodes" -> json(req, Map.of("transcodes", transcodes()));
                default -> problem(req, 404, "Not Found", "no such endpoint: " + req.path());
            }
        } catch (Exception e) {
            problem(req, 500, "Internal Server Error", e.getClass().getSimpleName());
        }
    }

    private List<Map<String, Object>> transcodes() {
        List<Map<String, Object>> out = new ArrayList<>();
        List<RunningJob> jobs = new ArrayList<>(runner.jobs());
        jobs.sort(Comparator.comparing(j -> j.job().stream()));
        for (RunningJob j : jobs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stream", j.job().stream());
            m.put("source", j.job().source());
            m.put("variants", j.variants());
            m.put("ladder", j.job().ladder());
            m.put("state", j.state());
            m.put("pid", j.pid() < 0 ? null : j.pid());
            m.put("restarts", j.restarts());
            m.put("failedStarts", j.failedStarts());
            m.put("speed", j.speed());
            m.put("fps", j.fps());
            m.put("frames", j.frames());
            m.put("bytesOut", j.bytesOut());
            m.put("log", j.log().toString());
            out.add(m);
        }
        return out;
    }

    private static void json(HttpServerRequest req, Object body) throws Exception {
        req.response().setStatusCode(200).putHeader("content-type", "application/json").end(JSON.writeValueAsString(body));
    }

    private static void problem(HttpServerRequest req, int status, String title, String detail) {
        try {
            req.response().setStatusCode(status).putHeader("content-type", "application/problem+json")
                    .end(JSON.writeValueAsString(Map.of("type", "about:blank", "title", title, "status", status,
                            "detail", detail)));
        } catch (Exception e) {
            req.response().setStatusCode(status).end();
        }
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
