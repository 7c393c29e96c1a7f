package dev.cascade.node.manager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.node.egress.whep.EdgeFinder;
import dev.cascade.node.manager.ManagerApi.Call;
import dev.cascade.node.manager.ManagerApi.Reply;
import io.vertx.core.AsyncResult;
import io.vertx.core.http.HttpMethod;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A draining edge asks the stream manager where its viewers should go: the same public placement a
 * viewer asks, {@code GET /api/v1/streams/{app}/{name}/subscribe?region=R}, for this edge's region.
 * Placement never answers a DRAINING node, so the answer is another edge.
 *
 * <ul>
 *   <li>200: {@link EdgeFinder.Found} with the answer's {@code node.id} and {@code whepUrl};</li>
 *   <li>503 no-capacity: {@link EdgeFinder.NoCapacity} (taken from the first manager that says it:
 *       they share one cluster state, see {@link ManagerApi#isAnswer});</li>
 *   <li>no manager answering, any other answer, an answer without {@code whepUrl}:
 *       {@link EdgeFinder.Failed}.</li>
 * </ul>
 */
public final class ManagerPlacements implements EdgeFinder {
    private final ManagerApi api;
    private final String region;

    public ManagerPlacements(ManagerApi api, String region) {
        this.api = api;
        this.region = region;
    }

    @Override
    public CompletionStage<Answer> find(String streamKey) {
        int slash = streamKey.indexOf('/');
        String path = "/api/v1/streams/" + ManagerApi.encode(streamKey.substring(0, slash)) + "/" + ManagerApi.encode(streamKey.substring(slash + 1))
                + "/subscribe?region=" + ManagerApi.encode(region);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        api.context().runOnContext(v -> api.call(Call.SUBSCRIBE, HttpMethod.GET, path, null)
                .onComplete(ar -> answer.complete(answer(streamKey, ar))));
        return answer;
    }

    static Answer answer(String streamKey, AsyncResult<Reply> ar) {
        if (ar.failed()) {
            return new Failed("no stream manager answered the subscribe placement for " + streamKey + ": "
                    + ar.cause().getMessage());
        }
        Reply r = ar.result();
        if (r.ok()) {
            JsonNode body = r.body();
            String url = body == null ? null : ManagerApi.text(body, "whepUrl");
            String node = body == null ? null : ManagerApi.text(body.path("node"), "id");
            if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
                return new Failed("the subscribe placement from " + r.url() + " for " + streamKey + " has no whepUrl: "
                        + (body == null ? "(no JSON body)" : ManagerApi.abbreviate(body.toString())));
            }
            return new Found(node, url);
        }
        if (r.is(503, "no-capacity")) {
            return new NoCapacity(r.describe());
        }
        return new Failed("the subscribe placement for " + streamKey + " was refused by " + r.url() + ": " + r.describe());
    }
}
