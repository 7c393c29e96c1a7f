package dev.cascade.manager.api;

import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.Processors;
import dev.cascade.manager.state.Provision;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams' provisions: their ABR ladder and policy. A stream without one gets its node group's
 * default ({@code NodeGroup.abr}) when the transcoder serves it; these calls show only the stream's own.
 */
final class ProvisionHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(ProvisionHandlers.class);
    private final StreamManager m;

    ProvisionHandlers(StreamManager m) {
        this.m = m;
    }

    void get(RoutingContext ctx) {
        String key = Api.streamKey(ctx);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.provisions.getAsync(key)), p -> {
            if (p == null) {
                throw notFound(key);
            }
            Api.send(ctx, 200, p);
        });
    }

    void put(RoutingContext ctx) {
        String key = Api.streamKey(ctx);
        Provision body = Json.read(ctx.body().buffer(), Provision.class);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.provisions.submitToKey(key, new Processors.PutProvision(body, Instant.now()))),
                stored -> {
                    LOG.info("stream {} provisioned: {} levels, start at level {}", key, stored.ladder().size(),
                            stored.policy().startLevel());
                    Api.send(ctx, 200, stored);
                });
    }

    void delete(RoutingContext ctx) {
        String key = Api.streamKey(ctx);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.provisions.removeAsync(key)), old -> {
            if (old == null) {
                throw notFound(key);
            }
            LOG.info("stream {} provision deleted", key);
            Api.send(ctx, 204, null);
        });
    }

    private static ApiException notFound(String key) {
        return ApiException.notFound("provision-not-found", "stream " + key + " has no provision of its own (its node"
                + " group's default ladder, if any, applies; PUT sets one)");
    }
}
