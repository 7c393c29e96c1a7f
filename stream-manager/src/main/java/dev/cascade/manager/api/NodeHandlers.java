package dev.cascade.manager.api;

import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.Heartbeat;
import dev.cascade.manager.state.InvalidValueException;
import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeRegistration;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.NodeState;
import dev.cascade.manager.state.NodeStream;
import dev.cascade.manager.state.Processors;
import dev.cascade.manager.state.TranscodeRecord;
import dev.cascade.manager.state.Validation;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Nodes registering and heartbeating (join token), and admins looking at and draining them. */
final class NodeHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(NodeHandlers.class);
    private final StreamManager m;

    NodeHandlers(StreamManager m) {
        this.m = m;
    }

    void register(RoutingContext ctx) {
        NodeRegistration reg = Json.read(ctx.body().buffer(), NodeRegistration.class);
        Instant now = Instant.now();
        Api.reply(ctx, Api.cluster(ctx, m, m.state.nodes.submitToKey(reg.id(), new Processors.Register(reg, now))), node -> {
            m.nodes.written(node.id(), node);
            LOG.info("node {} registered: {} in {} ({}), {}:{} SRT / {} HTTP", node.id(), node.role().wireName(),
                    node.region(), node.cloud(), node.host(), node.srtPort(), node.httpPort());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", node.id());
            out.put("state", node.state());
            out.put("heartbeatIntervalMs", m.config.nodes().heartbeatIntervalMs());
            out.put("heartbeatTimeoutMs", m.config.nodes().heartbeatTimeoutMs());
            Api.send(ctx, 200, out);
        });
    }

    void heartbeat(RoutingContext ctx) {
        String id = nodeId(ctx);
        Heartbeat hb = Json.read(ctx.body().buffer(), Heartbeat.class);
        Instant now = Instant.now();
        NodeRecord before = m.nodes.get(id);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.nodes.submitToKey(id, new Processors.Beat(hb, now))), r -> {
            if (r.outcome() != Processors.Outcome.OK) {
                throw ApiException.notFound("node-not-registered", "node " + id + " is "
                        + (r.node() == null ? "not registered" : r.node().state()) + "; register again");
            }
            m.metrics.heartbeat();
            NodeRecord node = r.node();
            m.nodes.written(id, node);
            if (before != null && before.state() != node.state()) {
                LOG.info("node {} is {}", id, node.state());
            }
            if (node.role() == NodeRole.ORIGIN) {
                reportOriginStreams(before, node, now);
            }
            if (node.role() == NodeRole.TRANSCODER) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("state", node.state());
                out.put("transcodes", transcodesOf(id));
                Api.send(ctx, 200, out);
                return;
            }
            Api.send(ctx, 200, Map.of("state", node.state()));
        });
    }

    /**
     * A transcoder's jobs, as its heartbeat answer lists them (the whole list every time: the
     * transcoder starts what is new, stops what is gone, restarts what changed):
     * <pre>
     * {"stream": "live/x", "source": {"node": "origin-1", "host": "10.0.0.5", "srtPort": 9000},
     *  "ladder": [{"level": 1, "width": 1280, "height": 720, "bitrateKbps": 2500, "fps": 30}, ...]}
     * </pre>
     * A job whose origin this member does not know (yet) is left out until it does.
     */
    private List<Map<String, Object>> transcodesOf(String transcoder) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TranscodeRecord t : m.transcodes.values()) {
            if (!transcoder.equals(t.transcoder())) {
                continue;
            }
            NodeRecord origin = m.nodes.get(t.origin());
            if (origin == null || !origin.state().alive()) {
                continue;
            }
            Map<String, Object> source = new LinkedHashMap<>();
            source.put("node", origin.id());
            source.put("host", origin.host());
            source.put("srtPort", origin.srtPort());
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("stream", t.stream());
            job.put("source", source);
            job.put("ladder", t.ladder());
            out.add(job);
        }
        out.sort(Comparator.comparing(j -> (String) j.get("stream")));
        return out;
    }

    /** Tells the stream records which streams started or stopped being published on this origin. */
    private void reportOriginStreams(NodeRecord before, NodeRecord now, Instant at) {
        Set<String> was = publishing(before);
        Set<String> is = publishing(now);
        for (String key : is) {
            var rec = m.streams.get(key);
            if (!was.contains(key) || rec == null || !rec.live() || !now.id().equals(rec.origin())) {
                m.state.streams.submitToKey(key, new Processors.OriginReport(now.id(), true, at));
            }
        }
        for (String key : was) {
            if (!is.contains(key)) {
                m.state.streams.submitToKey(key, new Processors.OriginReport(now.id(), false, at));
            }
        }
    }

    private static Set<String> publishing(NodeRecord n) {
        Set<String> out = new HashSet<>();
        if (n != null) {
            for (NodeStream s : n.streams()) {
                if (s.publishing()) {
                    out.add(s.key());
                }
            }
        }
        return out;
    }

    void deregister(RoutingContext ctx) {
        String id = nodeId(ctx);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.nodes.submitToKey(id, new Processors.Deregister(Instant.now()))), r -> {
            if (r.outcome() == Processors.Outcome.ABSENT) {
                throw ApiException.notFound("node-not-found", "no node " + id);
            }
            m.nodes.written(id, r.node());
            LOG.info("node {} left (TERMINATED)", id);
            Api.send(ctx, 204, null);
        });
    }

    void list(RoutingContext ctx) {
        Api.Page page = Api.page(ctx, m);
        NodeRole role = param(ctx, "role", s -> NodeRole.fromWire(s));
        NodeState state = param(ctx, "state", s -> NodeState.valueOf(s));
        String region = ctx.request().getParam("region");
        List<NodeRecord> all = new ArrayList<>();
        for (NodeRecord n : m.nodes.values()) {
            if ((role == null || n.role() == role) && (state == null || n.state() == state)
                    && (region == null || n.region().equals(region))) {
                all.add(n);
            }
        }
        all.sort(Comparator.comparing(NodeRecord::id));
        Api.send(ctx, 200, Api.paged(all, page, NodeRecord::id));
    }

    void get(RoutingContext ctx) {
        Api.send(ctx, 200, known(nodeId(ctx)));
    }

    void drain(RoutingContext ctx) {
        String id = nodeId(ctx);
        known(id);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.nodes.submitToKey(id, new Processors.Drain(Instant.now()))), r -> {
            switch (r.outcome()) {
                case ABSENT -> throw ApiException.notFound("node-not-found", "no node " + id);
                case CONFLICT -> throw ApiException.conflict("node " + id + " is " + r.node().state() + " and cannot drain");
                default -> {
                    m.nodes.written(id, r.node());
                    LOG.info("node {} is DRAINING (admin)", id);
                    Api.send(ctx, 200, r.node());
                }
            }
        });
    }

    void delete(RoutingContext ctx) {
        String id = nodeId(ctx);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.nodes.removeAsync(id)), old -> {
            if (old == null) {
                throw ApiException.notFound("node-not-found", "no node " + id);
            }
            m.nodes.written(id, null);
            LOG.info("node {} removed (admin)", id);
            Api.send(ctx, 204, null);
        });
    }

    private NodeRecord known(String id) {
        NodeRecord n = m.nodes.get(id);
        if (n == null) {
            throw ApiException.notFound("node-not-found", "no node " + id);
        }
        return n;
    }

    private static String nodeId(RoutingContext ctx) {
        try {
            return Validation.id("id", ctx.pathParam("id"));
        } catch (InvalidValueException e) {
            throw ApiException.badParameter(e.getMessage());
        }
    }

    private static <T> T param(RoutingContext ctx, String name, java.util.function.Function<String, T> parse) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return null;
        }
        try {
            return parse.apply(v);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(name + ": '" + v + "' is not a valid value");
        }
    }
}
