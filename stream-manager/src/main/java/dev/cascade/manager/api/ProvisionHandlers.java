package dev.cascade.manager.api;

import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.NodeGroup;
import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.Processors;
import dev.cascade.manager.state.Provision;
import dev.cascade.manager.state.StreamRecord;
import dev.cascade.manager.state.TranscodeRecord;
import dev.cascade.manager.transcode.TranscodePlanner;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams' provisions: their ABR ladder and policy. A stream without one gets its origin's node
 * group's default ({@code NodeGroup.abr}); the admin calls show only the stream's own, the node call
 * ({@code /abr}) the effective one.
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
                    m.provisions.written(key, stored);
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
            m.provisions.written(key, null);
            LOG.info("stream {} provision deleted", key);
            Api.send(ctx, 204, null);
        });
    }

    /**
     * The stream's effective ladder and policy, for edges choosing a viewer's variant (join token):
     * its own provision, else its origin's node group's default; and the transcoder running it (null
     * while none does: the variants are not there). Read from this member's views, like placement.
     */
    void effective(RoutingContext ctx) {
        String key = Api.streamKey(ctx);
        String excluded = TranscodePlanner.notTranscoded(key, m.streams.asMap(), m.transcodes.asMap());
        if (excluded != null) {
            throw ApiException.notFound("provision-not-found", excluded + ": it has no ladder of its own");
        }
        Map<String, Provision> groupAbr = new HashMap<>();
        StreamRecord stream = m.streams.get(key);
        NodeRecord origin = stream == null || stream.origin() == null ? null : m.nodes.get(stream.origin());
        if (origin != null && !origin.group().isEmpty()) {
            NodeGroup g = m.groups.get(origin.group());
            if (g != null && g.abr() != null) {
                groupAbr.put(g.name(), g.abr());
            }
        }
        TranscodePlanner.Effective eff = TranscodePlanner.effective(key, m.provisions.asMap(), groupAbr, stream,
                m.nodes.asMap());
        if (eff == null) {
            throw ApiException.notFound("provision-not-found", "stream " + key + " has no provision, and "
                    + (origin == null ? "no origin holds it (its node group's default needs one)"
                    : origin.group().isEmpty() ? "its origin " + origin.id() + " is in no node group"
                    : "its origin's node group " + origin.group() + " has no default (abr)"));
        }
        TranscodeRecord job = m.transcodes.get(key);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stream", key);
        out.put("ladder", eff.provision().ladder());
        out.put("policy", eff.provision().policy());
        out.put("from", eff.from());
        out.put("transcoder", job == null ? null : job.transcoder());
        Api.send(ctx, 200, out);
    }

    private static ApiException notFound(String key) {
        return ApiException.notFound("provision-not-found", "stream " + key + " has no provision of its own (its node"
                + " group's default ladder, if any, applies; PUT sets one)");
    }
}
