package dev.cascade.manager.api;

import dev.cascade.manager.Credentials;
import dev.cascade.manager.StreamIndex;
import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.ApiKeyRecord;
import dev.cascade.manager.state.ApiRole;
import dev.cascade.manager.state.InvalidValueException;
import dev.cascade.manager.state.NodeGroup;
import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeState;
import dev.cascade.manager.state.Processors;
import com.hazelcast.cluster.Member;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Streams, node groups, API keys, the cluster, and the OpenAPI document. */
final class AdminHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHandlers.class);
    private static final Buffer OPENAPI = load("/openapi.yaml");
    private final StreamManager m;

    AdminHandlers(StreamManager m) {
        this.m = m;
    }

    private static Buffer load(String resource) {
        try (InputStream in = AdminHandlers.class.getResourceAsStream(resource)) {
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing resource " + resource, e);
        }
    }

    void openapi(RoutingContext ctx) {
        ctx.response().putHeader("content-type", "application/yaml").end(OPENAPI);
    }

    // ------------------------------------------------------------------ streams

    void streams(RoutingContext ctx) {
        Api.Page page = Api.page(ctx, m);
        List<StreamIndex.StreamStats> items = new ArrayList<>();
        String next = null;
        for (StreamIndex.StreamStats s : m.streamIndex().after(page.cursor())) {
            if (items.size() == page.limit()) {
                next = items.get(items.size() - 1).key();
                break;
            }
            items.add(s);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("items", items);
        out.put("next", next);
        Api.send(ctx, 200, out);
    }

    void stream(RoutingContext ctx) {
        String key = Api.streamKey(ctx);
        StreamIndex.StreamStats s = m.streamIndex().get(key);
        if (s == null) {
            throw ApiException.notFound("stream-not-found", "no stream " + key);
        }
        Api.send(ctx, 200, s);
    }

    // ------------------------------------------------------------------ node groups

    void groups(RoutingContext ctx) {
        Api.Page page = Api.page(ctx, m);
        Api.reply(ctx, Api.cluster(ctx, m, java.util.concurrent.CompletableFuture.supplyAsync(
                () -> new ArrayList<>(m.state.groups.values()))), all -> {
            all.sort(Comparator.comparing(NodeGroup::name));
            Api.send(ctx, 200, Api.paged(all, page, NodeGroup::name));
        });
    }

    void group(RoutingContext ctx) {
        String name = groupName(ctx);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.groups.getAsync(name)), g -> {
            if (g == null) {
                throw ApiException.notFound("node-group-not-found", "no node group " + name);
            }
            Api.send(ctx, 200, g);
        });
    }

    void createGroup(RoutingContext ctx) {
        NodeGroup g = Json.read(ctx.body().buffer(), NodeGroup.class);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.groups.submitToKey(g.name(), new Processors.CreateGroup(g, Instant.now()))),
                created -> {
                    if (created == null) {
                        throw ApiException.conflict("node group " + g.name() + " exists; PUT /nodegroups/" + g.name()
                                + " replaces it");
                    }
                    m.groups.written(g.name(), created);
                    LOG.info("node group {} created ({} rules)", g.name(), g.rules().size());
                    ctx.response().putHeader("Location", Api.PREFIX + "/nodegroups/" + g.name());
                    Api.send(ctx, 201, created);
                });
    }

    void replaceGroup(RoutingContext ctx) {
        String name = groupName(ctx);
        NodeGroup g = Json.read(ctx.body().buffer(), NodeGroup.class);
        if (!g.name().equals(name)) {
            throw ApiException.invalidValue("name: the body names " + g.name() + " but the path names " + name);
        }
        Api.reply(ctx, Api.cluster(ctx, m, m.state.groups.submitToKey(name, new Processors.ReplaceGroup(g, Instant.now()))),
                replaced -> {
                    if (replaced == null) {
                        throw ApiException.notFound("node-group-not-found", "no node group " + name + " (POST /nodegroups creates one)");
                    }
                    m.groups.written(name, replaced);
                    LOG.info("node group {} replaced ({} rules)", name, g.rules().size());
                    Api.send(ctx, 200, replaced);
                });
    }

    void deleteGroup(RoutingContext ctx) {
        String name = groupName(ctx);
        Api.reply(ctx, Api.cluster(ctx, m, m.state.groups.removeAsync(name)), old -> {
            if (old == null) {
                throw ApiException.notFound("node-group-not-found", "no node group " + name);
            }
            m.groups.written(name, null);
            LOG.info("node group {} deleted", name);
            Api.send(ctx, 204, null);
        });
    }

    private static String groupName(RoutingContext ctx) {
        String name = ctx.pathParam("group");
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw ApiException.badParameter("group: '" + name + "' is not a node group name (1-63 of a-z 0-9 -)");
        }
        return name;
    }

    // ------------------------------------------------------------------ API keys

    /** What a client sends to create a key. */
    record ApiKeyRequest(String name, ApiRole role) {
        ApiKeyRequest {
            if (name == null || name.isBlank() || name.length() > 100) {
                throw new InvalidValueException("name", "is required, 1-100 characters");
            }
            if (role == null) {
                throw new InvalidValueException("role", "is required (admin or read-only)");
            }
        }
    }

    record ApiKeyView(String id, String name, ApiRole role, Instant createdAt) {
        static ApiKeyView of(ApiKeyRecord r) {
            return new ApiKeyView(r.id(), r.name(), r.role(), r.createdAt());
        }
    }

    void keys(RoutingContext ctx) {
        Api.Page page = Api.page(ctx, m);
        List<ApiKeyView> all = new ArrayList<>();
        for (ApiKeyRecord r : m.apiKeys.values()) {
            all.add(ApiKeyView.of(r));
        }
        all.sort(Comparator.comparing(ApiKeyView::id));
        Api.send(ctx, 200, Api.paged(all, page, ApiKeyView::id));
    }

    void createKey(RoutingContext ctx) {
        ApiKeyRequest req = Json.read(ctx.body().buffer(), ApiKeyRequest.class);
        String key = Credentials.newKey();
        ApiKeyRecord rec = new ApiKeyRecord(Credentials.newKeyId(), req.name(), req.role(), Credentials.hashHex(key),
                Instant.now());
        Api.reply(ctx, Api.cluster(ctx, m, m.state.apiKeys.submitToKey(rec.id(), new Processors.CreateKey(rec))), stored -> {
            if (!stored) {
                throw ApiException.conflict("key id collision; retry");
            }
            m.apiKeys.written(rec.id(), rec);
            LOG.info("API key {} ({}, {}) created", rec.id(), rec.name(), rec.role().wireName());
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", rec.id());
            out.put("name", rec.name());
            out.put("role", rec.role());
            out.put("createdAt", rec.createdAt());
            out.put("key", key);
            Api.send(ctx, 201, out);
        });
    }

    void deleteKey(RoutingContext ctx) {
        String id = ctx.pathParam("keyId");
        Api.reply(ctx, Api.cluster(ctx, m, m.state.apiKeys.removeAsync(id)), old -> {
            if (old == null) {
                throw ApiException.notFound("api-key-not-found", "no API key " + id
                        + ("bootstrap".equals(id) ? " (the bootstrap key lives in security.adminKey)" : ""));
            }
            m.apiKeys.written(id, null);
            LOG.info("API key {} revoked", id);
            Api.send(ctx, 204, null);
        });
    }

    // ------------------------------------------------------------------ cluster

    void cluster(RoutingContext ctx) {
        Api.send(ctx, 200, clusterSummary(m));
    }

    static Map<String, Object> clusterSummary(StreamManager m) {
        List<Map<String, Object>> members = new ArrayList<>();
        boolean first = true;
        for (Member mem : m.state.hazelcast().getCluster().getMembers()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("uuid", mem.getUuid().toString());
            e.put("address", mem.getAddress().getHost() + ":" + mem.getAddress().getPort());
            e.put("local", mem.localMember());
            e.put("oldest", first);
            first = false;
            members.add(e);
        }
        Map<NodeState, Integer> counts = new EnumMap<>(NodeState.class);
        for (NodeState s : NodeState.values()) {
            counts.put(s, 0);
        }
        for (NodeRecord n : m.nodes.values()) {
            counts.merge(n.state(), 1, Integer::sum);
        }
        StreamIndex idx = m.streamIndex();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("members", members);
        out.put("nodes", counts);
        out.put("streams", idx.size());
        out.put("liveStreams", idx.liveCount());
        out.put("subscribers", idx.subscribers());
        return out;
    }
}
