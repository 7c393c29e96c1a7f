package dev.cascade.node.manager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.node.ingest.relay.UpstreamResolver;
import dev.cascade.node.manager.ManagerApi.Call;
import dev.cascade.node.manager.ManagerApi.Reply;
import dev.cascade.protocol.streamid.StreamId;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * Routes from the stream manager: {@code GET /api/v1/routes/{app}/{name}?node=ID&exclude=IDS} names
 * the upstream node (an edge gets a relay, a relay the origin holding the stream) and its SRT port.
 *
 * <ul>
 *   <li>200: connect to {@code upstream.host}:{@code upstream.srtPort};</li>
 *   <li>404 stream-not-found: {@link NotFound}, retried like an upstream's 1404 before the publisher
 *       started;</li>
 *   <li>every manager unreachable or 5xx (503 no-capacity included), refused token, any other
 *       answer: {@link Unavailable}, retried like an unreachable upstream. 404 node-not-registered
 *       also makes the manager client register again.</li>
 * </ul>
 */
public final class ManagerRoutes implements UpstreamResolver {
    private final ManagerApi api;
    private final String nodeId;

    public ManagerRoutes(ManagerApi api, String nodeId) {
        this.api = api;
        this.nodeId = nodeId;
    }

    /** Any thread (the SRT loop): the call itself runs on the manager link's context. */
    @Override
    public CompletionStage<Route> resolve(StreamId stream, List<String> exclude) {
        StringBuilder path = new StringBuilder("/api/v1/routes/").append(ManagerApi.encode(stream.app())).append('/')
                .append(ManagerApi.encode(stream.name())).append("?node=").append(ManagerApi.encode(nodeId));
        if (!exclude.isEmpty()) {
            // Ids are [A-Za-z0-9_.-]; the commas stay literal, as the parameter's description writes them.
            path.append("&exclude=").append(exclude.stream().map(ManagerApi::encode).collect(Collectors.joining(",")));
        }
        CompletableFuture<Route> answer = new CompletableFuture<>();
        api.context().runOnContext(v -> api.call(Call.ROUTE, HttpMethod.GET, path.toString(), null).onComplete(ar -> {
            Route route = route(stream, ar);
            if (ar.succeeded() && ar.result().is(404, "node-not-registered")) {
                api.nodeNotRegistered();
            }
            answer.complete(route);
        }));
        return answer;
    }

    static Route route(StreamId stream, AsyncResult<Reply> ar) {
        if (ar.failed()) {
            return new Unavailable("no stream manager answered the route ask: " + ar.cause().getMessage());
        }
        Reply r = ar.result();
        if (r.ok()) {
            JsonNode up = r.body() == null ? null : r.body().get("upstream");
            String id = up == null ? null : ManagerApi.text(up, "id");
            String host = up == null ? null : ManagerApi.text(up, "host");
            int port = up == null || !up.path("srtPort").canConvertToInt() ? 0 : up.path("srtPort").asInt();
            if (id == null || host == null || port < 1 || port > 65_535) {
                return new Unavailable("the route answer from " + r.url() + " names no upstream with id, host and srtPort: "
                        + ManagerApi.abbreviate(r.body() == null ? "(no JSON body)" : r.body().toString()));
            }
            return new Upstream(id, host, port);
        }
        if (r.is(404, "stream-not-found")) {
            return new NotFound(r.detail() == null ? "no origin holds " + stream.key() : r.detail());
        }
        return new Unavailable("route for " + stream.key() + " refused by " + r.url() + ": " + r.describe());
    }
}
