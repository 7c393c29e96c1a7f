package dev.cascade.manager.api;

import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.InvalidValueException;
import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.Processors;
import dev.cascade.manager.state.StreamRecord;
import dev.cascade.manager.state.Validation;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where to publish, where to watch, and (for nodes) where to pull from. Subscribe placement reads
 * only this member's views, so it answers even while the cluster is reshuffling after a member died.
 */
final class PlacementHandlers {
    private final StreamManager m;

    PlacementHandlers(StreamManager m) {
        this.m = m;
    }

    void publish(RoutingContext ctx) {
        String key = Api.streamKey(ctx);
        String region = region(ctx);
        Timer.Sample t = Timer.start();
        Instant now = Instant.now();
        NodeRecord origin = holdingOrigin(key, now);
        if (origin == null) {
            origin = m.placer.leastLoadedOrigin(region, m.config.placement().crossRegion());
        }
        t.stop(m.metrics.placementTimer());
        if (origin == null) {
            m.metrics.placement("publish", "no_capacity");
            throw ApiException.noCapacity("no origin in service has room for a publisher"
                    + (m.config.placement().crossRegion() ? "" : " in region " + region), m.config.placement().retryAfterSeconds());
        }
        StreamRecord held = m.streams.get(key);
        if (held != null && held.live() && origin.id().equals(held.origin())) {
            // Live there already (a publisher reconnecting, a backup encoder): nothing to record, and
            // no cluster write (a write is a backup, an event and a deserialization on every member).
            m.metrics.placement("publish", "ok");
            Api.send(ctx, 200, publishAnswer(key, origin, true));
            return;
        }
        // Record the choice so the next publisher of this stream and the relays' routes agree; the
        // processor keeps an origin that got there first (two members placing at once).
        Api.reply(ctx, Api.cluster(ctx, m, m.state.streams.submitToKey(key, new Processors.PlacePublisher(origin.id(), now))),
                rec -> {
                    m.streams.written(key, rec);
                    NodeRecord chosen = m.nodes.get(rec.origin());
                    if (chosen == null) {
                        throw ApiException.noCapacity("the stream's origin " + rec.origin() + " is not known here yet",
                                m.config.placement().retryAfterSeconds());
                    }
                    m.metrics.placement("publish", "ok");
                    Api.send(ctx, 200, publishAnswer(key, chosen, rec.live()));
                });
    }

    private Map<String, Object> publishAnswer(String key, NodeRecord origin, boolean live) {
        Map<String, Object> out = base(key, "publish", origin, live);
        out.put("srtUrl", srtUrl(origin, key, "publish"));
        String http = "http://" + hostForUrl(origin) + ":" + origin.httpPort();
        out.put("whipUrl", http + "/whip/" + key);
        out.put("publishPageUrl", http + "/publish/" + key);
        return out;
    }

    /** The origin a stream is on (live, or placed within the pending window), if it is still in service. */
    private NodeRecord holdingOrigin(String key, Instant now) {
        StreamRecord s = m.streams.get(key);
        if (s == null || s.origin() == null) {
            return null;
        }
        boolean recent = s.placedAt().plus(Duration.ofMillis(m.config.placement().pendingWindowMs())).isAfter(now);
        if (!s.live() && !recent) {
            return null;
        }
        NodeRecord n = m.nodes.get(s.origin());
        return n != null && n.state().alive() ? n : null;
    }

    void subscribe(RoutingContext ctx) {
        String key = Api.streamKey(ctx);
        String region = region(ctx);
        Timer.Sample t = Timer.start();
        NodeRecord edge = m.placer.subscriber(key, region, m.config.placement().crossRegion());
        t.stop(m.metrics.placementTimer());
        if (edge == null) {
            m.metrics.placement("subscribe", "no_capacity");
            throw ApiException.noCapacity("no edge in service has room for a viewer"
                    + (m.config.placement().crossRegion() ? "" : " in region " + region), m.config.placement().retryAfterSeconds());
        }
        m.metrics.placement("subscribe", "ok");
        StreamRecord s = m.streams.get(key);
        Map<String, Object> out = base(key, "subscribe", edge, s != null && s.live());
        String http = "http://" + hostForUrl(edge) + ":" + edge.httpPort();
        out.put("whepUrl", http + "/whep/" + key);
        out.put("playerUrl", http + "/watch/" + key);
        out.put("srtUrl", srtUrl(edge, key, "request"));
        Api.send(ctx, 200, out);
    }

    /**
     * A node's upstream for a stream. An edge gets a relay (stream-affine, like viewers get edges);
     * with no relay in service, or every relay excluded, it gets the origin directly. A relay gets the
     * origin holding the stream.
     */
    void route(RoutingContext ctx) {
        String key = Api.streamKey(ctx);
        String nodeId = ctx.request().getParam("node");
        if (nodeId == null) {
            throw ApiException.badParameter("the query parameter node (the asking node's id) is required");
        }
        try {
            Validation.id("node", nodeId);
        } catch (InvalidValueException e) {
            throw ApiException.badParameter(e.getMessage());
        }
        Set<String> exclude = new HashSet<>();
        String ex = ctx.request().getParam("exclude");
        if (ex != null && !ex.isEmpty()) {
            for (String id : ex.split(",")) {
                try {
                    exclude.add(Validation.id("exclude", id.trim()));
                } catch (InvalidValueException e) {
                    throw ApiException.badParameter(e.getMessage());
                }
            }
        }
        NodeRecord asking = m.nodes.get(nodeId);
        if (asking == null || asking.state().gone()) {
            throw ApiException.notFound("node-not-registered", "node " + nodeId + " is not registered; register first");
        }
        Timer.Sample t = Timer.start();
        NodeRecord upstream = null;
        if (asking.role() == NodeRole.EDGE || asking.role() == NodeRole.TRANSCODER) {
            upstream = m.placer.relay(key, asking, exclude);
        } else if (asking.role() == NodeRole.ORIGIN) {
            throw ApiException.badParameter("node " + nodeId + " is an origin: origins take publishers and pull from nobody");
        }
        if (upstream == null) {
            upstream = holdingOrigin(key, Instant.now());
            if (upstream != null && exclude.contains(upstream.id())) {
                upstream = null;
            }
        }
        t.stop(m.metrics.placementTimer());
        if (upstream == null) {
            m.metrics.placement("route", "not_found");
            throw ApiException.notFound("stream-not-found", "no origin in service holds " + key + " (not published yet?)");
        }
        m.metrics.placement("route", "ok");
        NodeRecord up = upstream;
        Api.reply(ctx, Api.cluster(ctx, m, m.state.routes.submitToKey(key,
                new Processors.Link(nodeId, up.id(), Instant.now()))), route -> {
            m.routes.written(key, route);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("stream", key);
            out.put("node", nodeId);
            out.put("upstream", ref(up));
            Api.send(ctx, 200, out);
        });
    }

    private Map<String, Object> base(String key, String action, NodeRecord n, boolean live) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stream", key);
        out.put("action", action);
        out.put("region", n.region());
        out.put("node", ref(n));
        out.put("live", live);
        return out;
    }

    static Map<String, Object> ref(NodeRecord n) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", n.id());
        r.put("role", n.role().wireName());
        r.put("region", n.region());
        r.put("host", n.host());
        r.put("srtPort", n.srtPort());
        r.put("httpPort", n.httpPort());
        return r;
    }

    private static String srtUrl(NodeRecord n, String key, String mode) {
        return "srt://" + hostForUrl(n) + ":" + n.srtPort() + "?streamid=#!::r=" + key + ",m=" + mode;
    }

    /** IPv6 literals go in brackets in URLs (RFC 3986 section 3.2.2). */
    private static String hostForUrl(NodeRecord n) {
        return n.host().contains(":") && !n.host().startsWith("[") ? "[" + n.host() + "]" : n.host();
    }

    /** The region parameter, else the client IP's region from the table, else the default. */
    private String region(RoutingContext ctx) {
        String r = ctx.request().getParam("region");
        if (r != null) {
            try {
                return Validation.region("region", r);
            } catch (InvalidValueException e) {
                throw ApiException.badParameter(e.getMessage());
            }
        }
        var remote = ctx.request().remoteAddress();
        if (remote != null && remote.hostAddress() != null) {
            try {
                var found = m.regionTable.regionOf(InetAddress.getByName(remote.hostAddress()));
                if (found.isPresent()) {
                    return found.get();
                }
            } catch (UnknownHostException e) {
                // a literal address never needs a lookup; fall through to the default
            }
        }
        return m.config.placement().defaultRegion();
    }
}
