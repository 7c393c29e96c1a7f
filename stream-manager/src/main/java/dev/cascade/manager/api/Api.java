package dev.cascade.manager.api;

import dev.cascade.manager.Credentials;
import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.ApiRole;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API. {@link #endpoints} is the one table of every route, its access rule and its handler;
 * the router is built from it and a test checks it against {@code openapi.yaml} both ways.
 */
public final class Api {
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    public static final String PREFIX = "/api/v1";

    /** Who may call an endpoint. */
    public enum Access {
        /** Anyone: placement, the OpenAPI document. */
        PUBLIC,
        /** Nodes, with the cluster join token. */
        NODE,
        /** Any API key. */
        READ,
        /** An admin API key. */
        ADMIN
    }

    /** One route: method, OpenAPI path template (under /api/v1), access, handler. */
    public record Endpoint(HttpMethod method, String path, Access access, Handler<RoutingContext> handler) {}

    private final StreamManager m;
    private final PlacementHandlers placement;
    private final NodeHandlers nodes;
    private final AdminHandlers admin;
    private final Events events;
    private final ScaleHandlers scale;
    private final ProvisionHandlers provisions;

    public Api(StreamManager m) {
        this.m = m;
        this.placement = new PlacementHandlers(m);
        this.nodes = new NodeHandlers(m);
        this.admin = new AdminHandlers(m);
        this.events = new Events(m);
        this.scale = new ScaleHandlers(m);
        this.provisions = new ProvisionHandlers(m);
    }

    public List<Endpoint> endpoints() {
        return List.of(
                new Endpoint(HttpMethod.GET, "/openapi.yaml", Access.PUBLIC, admin::openapi),
                new Endpoint(HttpMethod.GET, "/streams/{app}/{name}/publish", Access.PUBLIC, placement::publish),
                new Endpoint(HttpMethod.GET, "/streams/{app}/{name}/subscribe", Access.PUBLIC, placement::subscribe),
                new Endpoint(HttpMethod.POST, "/nodes/register", Access.NODE, nodes::register),
                new Endpoint(HttpMethod.PUT, "/nodes/{id}/heartbeat", Access.NODE, nodes::heartbeat),
                new Endpoint(HttpMethod.POST, "/nodes/{id}/deregister", Access.NODE, nodes::deregister),
                new Endpoint(HttpMethod.GET, "/routes/{app}/{name}", Access.NODE, placement::route),
                new Endpoint(HttpMethod.GET, "/nodes", Access.READ, nodes::list),
                new Endpoint(HttpMethod.GET, "/nodes/{id}", Access.READ, nodes::get),
                new Endpoint(HttpMethod.DELETE, "/nodes/{id}", Access.ADMIN, nodes::delete),
                new Endpoint(HttpMethod.POST, "/nodes/{id}/drain", Access.ADMIN, nodes::drain),
                new Endpoint(HttpMethod.GET, "/streams", Access.READ, admin::streams),
                new Endpoint(HttpMethod.GET, "/streams/{app}/{name}", Access.READ, admin::stream),
                new Endpoint(HttpMethod.GET, "/streams/{app}/{name}/provision", Access.READ, provisions::get),
                new Endpoint(HttpMethod.PUT, "/streams/{app}/{name}/provision", Access.ADMIN, provisions::put),
                new Endpoint(HttpMethod.DELETE, "/streams/{app}/{name}/provision", Access.ADMIN, provisions::delete),
                new Endpoint(HttpMethod.GET, "/streams/{app}/{name}/abr", Access.NODE, provisions::effective),
                new Endpoint(HttpMethod.GET, "/nodegroups", Access.READ, admin::groups),
                new Endpoint(HttpMethod.POST, "/nodegroups", Access.ADMIN, admin::createGroup),
                new Endpoint(HttpMethod.GET, "/nodegroups/{group}", Access.READ, admin::group),
                new Endpoint(HttpMethod.PUT, "/nodegroups/{group}", Access.ADMIN, admin::replaceGroup),
                new Endpoint(HttpMethod.DELETE, "/nodegroups/{group}", Access.ADMIN, admin::deleteGroup),
                new Endpoint(HttpMethod.GET, "/scheduledevents", Access.READ, scale::events),
                new Endpoint(HttpMethod.POST, "/scheduledevents", Access.ADMIN, scale::createEvent),
                new Endpoint(HttpMethod.GET, "/scheduledevents/{eventId}", Access.READ, scale::event),
                new Endpoint(HttpMethod.PUT, "/scheduledevents/{eventId}", Access.ADMIN, scale::replaceEvent),
                new Endpoint(HttpMethod.DELETE, "/scheduledevents/{eventId}", Access.ADMIN, scale::deleteEvent),
                new Endpoint(HttpMethod.GET, "/decisions", Access.READ, scale::decisions),
                new Endpoint(HttpMethod.GET, "/deployments", Access.READ, scale::deployments),
                new Endpoint(HttpMethod.GET, "/apikeys", Access.ADMIN, admin::keys),
                new Endpoint(HttpMethod.POST, "/apikeys", Access.ADMIN, admin::createKey),
                new Endpoint(HttpMethod.DELETE, "/apikeys/{keyId}", Access.ADMIN, admin::deleteKey),
                new Endpoint(HttpMethod.GET, "/cluster", Access.READ, admin::cluster),
                new Endpoint(HttpMethod.GET, "/events", Access.READ, events::subscribe));
    }

    public Router router(io.vertx.core.Vertx vertx) {
        Router router = Router.router(vertx);
        // Every answer is counted here, once: by endpoint (the OpenAPI path, "other" for none) and
        // status, and a problem also by its type.
        router.route().handler(ctx -> {
            ctx.addHeadersEndHandler(v -> {
                String endpoint = ctx.get("endpoint");
                m.metrics.request(endpoint == null ? "other" : endpoint, ctx.response().getStatusCode());
                String problem = ctx.get("problem");
                if (problem != null) {
                    m.metrics.rejected(problem);
                }
            });
            ctx.next();
        });
        BodyHandler body = BodyHandler.create(false).setBodyLimit(m.config.http().maxBodyBytes());
        for (Endpoint e : endpoints()) {
            String vertxPath = PREFIX + e.path().replaceAll("\\{([A-Za-z]+)\\}", ":$1");
            // Its own route, ahead of the body handler (which must come first on a route), so a body
            // refused for its size is still counted under its endpoint.
            router.route(e.method(), vertxPath).handler(ctx -> {
                ctx.put("endpoint", e.path());
                ctx.next();
            });
            var route = router.route(e.method(), vertxPath);
            if (e.method() == HttpMethod.POST || e.method() == HttpMethod.PUT) {
                route.handler(body).handler(Api::requireJson);
            }
            route.handler(ctx -> authorize(ctx, e)).handler(ctx -> {
                try {
                    e.handler().handle(ctx);
                } catch (ApiException ex) {
                    problem(ctx, ex);
                } catch (RuntimeException ex) {
                    ctx.fail(ex);
                }
            });
        }
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(m.metrics.scrape()));
        router.get("/healthz").handler(ctx -> send(ctx, 200, Map.of("status", "ok",
                "members", m.state.hazelcast().getCluster().getMembers().size(), "oldest", m.state.isOldest())));
        router.get("/").handler(ctx -> ctx.reroute("/dashboard/index.html"));
        router.route("/dashboard/*").handler(StaticHandler.create("dashboard").setCachingEnabled(false));
        router.route().failureHandler(this::failure);
        router.errorHandler(404, ctx -> problem(ctx, new ApiException(404, "not-found", "Not found",
                "no such endpoint: " + ctx.request().method() + " " + ctx.request().path())));
        router.errorHandler(405, ctx -> problem(ctx, new ApiException(405, "method-not-allowed", "Method not allowed",
                ctx.request().method() + " is not allowed on " + ctx.request().path())));
        return router;
    }

    /** A request that carries a body must say it is JSON; a bodiless POST (drain) needs no type. */
    private static void requireJson(RoutingContext ctx) {
        String type = ctx.request().getHeader("content-type");
        var body = ctx.body().buffer();
        if ((body == null || body.length() == 0) && type == null) {
            ctx.next();
            return;
        }
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            problem(ctx, new ApiException(415, "unsupported-media-type", "Unsupported media type",
                    "send the body as application/json (got " + (type == null ? "no Content-Type" : type) + ")"));
            return;
        }
        ctx.next();
    }

    private void authorize(RoutingContext ctx, Endpoint e) {
        if (e.access() == Access.PUBLIC) {
            ctx.next();
            return;
        }
        String presented = bearer(ctx, e.path().equals("/events"));
        if (e.access() == Access.NODE) {
            if (presented == null) {
                unauthorized(ctx, "this call needs the cluster join token: Authorization: Bearer TOKEN");
            } else if (!m.credentials.joinTokenMatches(presented)) {
                problem(ctx, new ApiException(403, "join-token-invalid", "Join token invalid",
                        "the join token is not this cluster's (security.joinToken)"));
            } else {
                ctx.next();
            }
            return;
        }
        if (presented == null) {
            unauthorized(ctx, "this call needs an API key: Authorization: Bearer KEY");
            return;
        }
        Credentials.Principal p = m.credentials.apiKey(presented);
        if (p == null) {
            unauthorized(ctx, "unknown API key");
            return;
        }
        if (e.access() == Access.ADMIN && p.role() != ApiRole.ADMIN) {
            problem(ctx, new ApiException(403, "forbidden", "Forbidden",
                    "API key " + p.keyId() + " is " + p.role().wireName() + "; this call needs an admin key"));
            return;
        }
        ctx.put("principal", p);
        ctx.next();
    }

    private static void unauthorized(RoutingContext ctx, String detail) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"cascade\"");
        problem(ctx, new ApiException(401, "unauthorized", "Unauthorized", detail));
    }

    /**
     * The bearer credential (RFC 6750 section 2.1), or for endpoints read by EventSource, which
     * cannot set headers, the {@code access_token} query parameter (section 2.3).
     */
    private static String bearer(RoutingContext ctx, boolean queryAllowed) {
        String h = ctx.request().getHeader("authorization");
        if (h != null && h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String t = h.substring(7).trim();
            return t.isEmpty() ? null : t;
        }
        if (queryAllowed) {
            String q = ctx.request().getParam("access_token");
            return q == null || q.isEmpty() ? null : q;
        }
        return null;
    }

    private void failure(RoutingContext ctx) {
        Throwable t = ctx.failure();
        if (t instanceof ApiException ex) {
            problem(ctx, ex);
            return;
        }
        int code = ctx.statusCode();
        if (code == 413) {
            problem(ctx, new ApiException(413, "body-too-large", "Body too large",
                    "a request body may be at most " + m.config.http().maxBodyBytes() + " bytes"));
            return;
        }
        if (t == null && code >= 400 && code < 500) {
            problem(ctx, new ApiException(code, code == 404 ? "not-found" : "bad-request", "Bad request",
                    ctx.request().method() + " " + ctx.request().path()));
            return;
        }
        if (isTimeout(t)) {
            problem(ctx, new ApiException(503, "cluster-unavailable", "Cluster unavailable",
                    "the stream-manager cluster did not answer in time; retry", 1));
            return;
        }
        LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), t);
        problem(ctx, new ApiException(500, "internal", "Internal error", t == null ? "error " + code
                : t.getClass().getSimpleName()));
    }

    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TimeoutException || c instanceof com.hazelcast.core.OperationTimeoutException
                    || c instanceof io.vertx.core.impl.NoStackTraceTimeoutException
                    || c instanceof com.hazelcast.core.HazelcastInstanceNotActiveException) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ helpers for handlers

    /** Writes an RFC 9457 problem (counted by the router's end handler). */
    static void problem(RoutingContext ctx, ApiException e) {
        HttpServerResponse r = ctx.response();
        if (r.ended()) {
            return;
        }
        ctx.put("problem", e.slug());
        if (e.retryAfterSeconds() != null) {
            r.putHeader("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("type", ApiException.TYPE_PREFIX + e.slug());
        body.put("title", e.title());
        body.put("status", e.status());
        body.put("detail", e.getMessage());
        body.put("instance", ctx.request().path());
        r.setStatusCode(e.status()).putHeader("content-type", "application/problem+json").end(Json.write(body));
    }

    static void send(RoutingContext ctx, int status, Object body) {
        HttpServerResponse r = ctx.response().setStatusCode(status);
        if (body == null) {
            r.end();
        } else {
            r.putHeader("content-type", "application/json").end(Json.write(body));
        }
    }

    /** Completes a handler from a cluster call: the value is written, a failure becomes a problem. */
    static <T> void reply(RoutingContext ctx, Future<T> f, java.util.function.Consumer<T> onValue) {
        f.onComplete(ar -> {
            if (ar.succeeded()) {
                try {
                    onValue.accept(ar.result());
                } catch (ApiException e) {
                    problem(ctx, e);
                } catch (RuntimeException e) {
                    ctx.fail(e);
                }
            } else if (ar.cause() instanceof ApiException e) {
                problem(ctx, e);
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    /**
     * A Hazelcast async call as a Vert.x future on the caller's context. It is bounded by Hazelcast's
     * own operation timeout ({@code cluster.operationTimeoutMs}), so no Vert.x timer is armed per call.
     */
    static <T> Future<T> cluster(RoutingContext ctx, StreamManager m, CompletionStage<T> stage) {
        Promise<T> p = Promise.promise();
        var vctx = ctx.vertx().getOrCreateContext();
        // Run the hop to the event loop on the thread that completes the call: Hazelcast's default
        // executor for callbacks is the common ForkJoinPool, which has one thread on a 2-core machine
        // and became the bottleneck of publish placements (2.3 k/s instead of 10 k/s in bench/run placement).
        stage.whenCompleteAsync((v, err) -> vctx.runOnContext(x -> {
            if (err != null) {
                p.tryFail(err);
            } else {
                p.tryComplete(v);
            }
        }), Runnable::run);
        return p.future();
    }

    /** The {@code {app}/{name}} of the path, under the SRT stream ID rules; else 400 bad-stream. */
    static String streamKey(RoutingContext ctx) {
        String key = ctx.pathParam("app") + "/" + ctx.pathParam("name");
        try {
            return dev.cascade.manager.state.Validation.streamKey("stream", key);
        } catch (dev.cascade.manager.state.InvalidValueException e) {
            throw new ApiException(400, "bad-stream", "Bad stream", e.getMessage());
        }
    }

    /** Parses {@code limit} and {@code cursor}. */
    record Page(int limit, String cursor) {}

    static Page page(RoutingContext ctx, StreamManager m) {
        String l = ctx.request().getParam("limit");
        int limit = m.config.api().defaultPageSize();
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                throw ApiException.badParameter("limit must be an integer (got '" + l + "')");
            }
            if (limit < 1 || limit > m.config.api().maxPageSize()) {
                throw ApiException.badParameter("limit must be between 1 and " + m.config.api().maxPageSize()
                        + " (got " + limit + ")");
            }
        }
        String cursor = ctx.request().getParam("cursor");
        return new Page(limit, cursor == null || cursor.isEmpty() ? null : cursor);
    }

    /** One page of already sorted items, and the cursor of the next page (null at the end). */
    static <T> Map<String, Object> paged(List<T> sorted, Page page, java.util.function.Function<T, String> id) {
        List<T> items = new ArrayList<>();
        String next = null;
        for (T t : sorted) {
            if (page.cursor() != null && id.apply(t).compareTo(page.cursor()) <= 0) {
                continue;
            }
            if (items.size() == page.limit()) {
                next = id.apply(items.get(items.size() - 1));
                break;
            }
            items.add(t);
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("items", items);
        out.put("next", next);
        return out;
    }

    /** One verticle per event loop, each with its own HTTP server on the shared port. */
    public static final class Verticle extends AbstractVerticle {
        private final StreamManager m;

        public Verticle(StreamManager m) {
            this.m = m;
        }

        @Override
        public void start(Promise<Void> started) {
            Router router = new Api(m).router(vertx);
            vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setTcpNoDelay(true))
                    .requestHandler(router)
                    .listen(m.config.http().port(), m.config.http().bindAddress())
                    .onSuccess(s -> started.complete())
                    .onFailure(started::fail);
        }
    }
}
