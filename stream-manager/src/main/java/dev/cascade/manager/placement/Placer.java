package dev.cascade.manager.placement;

import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.NodeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses nodes: an edge for a viewer, a relay (or the origin) for an edge's pull, the least-loaded
 * origin for a new publisher. Everything it reads is local to this member (the node view and a
 * load board refreshed every {@link #REFRESH_MS}), so a placement never waits on the cluster.
 *
 * <p>Edges and relays are chosen by consistent hashing of the stream key with bounded loads
 * ({@link BoundedLoad}): a stream's viewers go to the stream's first edge on the ring until it holds
 * {@code balanceFactor} x the average load, then spill to the next. Viewers of one stream thus
 * concentrate on few edges, so relays carry few copies of it, and no edge runs hot.
 *
 * <p>A node's load is what its last heartbeat reported plus the placements made on it within
 * {@code placement.pendingWindowMs} by any member (viewers take a moment to connect and show up in a
 * heartbeat). Each member shares its own recent placements through the cluster every 250 ms; a
 * placement by this member counts at once.
 */
public final class Placer {
    public static final long REFRESH_MS = 100;

    private final double balanceFactor;
    private final int pointsPerNode;
    private volatile Map<String, NodeRecord> nodes;
    private final PendingLoad ownPending;
    private volatile Map<String, Long> othersPending = Map.of();
    private volatile Rings rings;
    private final AtomicLong membershipVersion = new AtomicLong();
    private volatile Board board = new Board(Map.of(), Map.of());
    /**
     * Placements since the board was last computed, per node and per ring group, so back-to-back
     * answers see each other before the next refresh.
     */
    private volatile Since since = new Since();

    /** @param nodes this member's view of the node registry, by id */
    public Placer(double balanceFactor, int pointsPerNode, int pendingWindowMs, Map<String, NodeRecord> nodes) {
        this.balanceFactor = balanceFactor;
        this.pointsPerNode = pointsPerNode;
        this.nodes = nodes;
        this.ownPending = new PendingLoad(pendingWindowMs, 10);
        this.rings = new Rings(-1, Map.of());
    }

    /** Points the placer at this member's node view (by id). */
    public void bind(Map<String, NodeRecord> nodeView) {
        this.nodes = nodeView;
        membershipChanged();
    }

    /** A node's role, region or state changed, or a node came or went: rebuild the rings on next use. */
    public void membershipChanged() {
        membershipVersion.incrementAndGet();
    }

    /** Whether a change from {@code old} to {@code now} affects the rings (not just load). */
    public static boolean affectsRings(NodeRecord old, NodeRecord now) {
        if (old == null || now == null) {
            return true;
        }
        return old.state() != now.state() || old.role() != now.role() || !old.region().equals(now.region());
    }

    /** The edge for a viewer of {@code stream} in {@code region}; null when no edge has room. */
    public NodeRecord subscriber(String stream, String region, boolean crossRegion) {
        return hashed(NodeRole.EDGE, stream, region, crossRegion, Set.of());
    }

    /**
     * The upstream for {@code asking}'s pull of {@code stream}: for an edge, a relay chosen the same
     * stream-affine way (its own region first); null when there is no relay with room.
     */
    public NodeRecord relay(String stream, NodeRecord asking, Set<String> exclude) {
        return hashed(NodeRole.RELAY, stream, asking.region(), true, exclude);
    }

    /** Whether the cluster has any INSERVICE relay (if not, edges pull from origins directly). */
    public boolean hasRelays() {
        for (Map.Entry<String, HashRing> e : rings().byGroup.entrySet()) {
            if (e.getKey().startsWith(NodeRole.RELAY + "/*") && e.getValue().size() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The least-loaded INSERVICE origin with room for a publisher, in {@code region} first; ties go
     * to the lower id so every member answers alike.
     */
    public NodeRecord leastLoadedOrigin(String region, boolean crossRegion) {
        NodeRecord best = leastLoaded(region);
        if (best == null && crossRegion) {
            best = leastLoaded(null);
        }
        if (best != null) {
            placed(best);
        }
        return best;
    }

    private NodeRecord leastLoaded(String region) {
        NodeRecord best = null;
        long bestLoad = Long.MAX_VALUE;
        for (NodeRecord n : nodes.values()) {
            if (n.role() != NodeRole.ORIGIN || n.state() != NodeState.INSERVICE
                    || (region != null && !region.equals(n.region())) || overBandwidth(n)) {
                continue;
            }
            long load = n.load().publishers() + pendingOf(n.id());
            int cap = n.capacity().maxPublishers();
            if (cap > 0 && load >= cap) {
                continue;
            }
            if (load < bestLoad || (load == bestLoad && n.id().compareTo(best.id()) < 0)) {
                best = n;
                bestLoad = load;
            }
        }
        return best;
    }

    private NodeRecord hashed(NodeRole role, String stream, String region, boolean crossRegion, Set<String> exclude) {
        Rings r = rings();
        String group = role + "/" + region;
        NodeRecord chosen = pick(r.byGroup.get(group), group, stream, exclude);
        if (chosen == null && crossRegion) {
            chosen = pick(r.byGroup.get(role + "/*"), role + "/*", stream, exclude);
        }
        if (chosen != null) {
            placed(chosen);
        }
        return chosen;
    }

    private NodeRecord pick(HashRing ring, String group, String stream, Set<String> exclude) {
        if (ring == null || ring.size() == 0) {
            return null;
        }
        Board b = board;
        Since fresh = since;
        Long ringTotal = b.totals.get(group);
        AtomicLong placedSince = fresh.byGroup.get(group);
        long total = (ringTotal == null ? 0 : ringTotal) + (placedSince == null ? 0 : placedSince.get());
        long limit = BoundedLoad.limit(balanceFactor, total, ring.size());
        NodeRecord[] found = new NodeRecord[1];
        ring.first(stream, id -> {
            if (exclude.contains(id)) {
                return false;
            }
            NodeRecord n = nodes.get(id);
            if (n == null || n.state() != NodeState.INSERVICE || overBandwidth(n)) {
                return false;
            }
            Long base = b.loads.get(id);
            AtomicLong extra = fresh.byNode.get(id);
            long load = (base == null ? n.load().subscribers() : base) + (extra == null ? 0 : extra.get());
            int cap = n.capacity().maxSubscribers();
            if (load >= limit || (cap > 0 && load >= cap)) {
                return false;
            }
            found[0] = n;
            return true;
        });
        return found[0];
    }

    private static boolean overBandwidth(NodeRecord n) {
        double max = n.capacity().maxMbpsOut();
        return max > 0 && n.load().mbpsOut() >= max;
    }

    private long pendingOf(String id) {
        Long others = othersPending.get(id);
        return ownPending.get(id, System.currentTimeMillis()) + (others == null ? 0 : others);
    }

    private void placed(NodeRecord n) {
        ownPending.add(n.id(), System.currentTimeMillis());
        Since fresh = since;
        fresh.byNode.computeIfAbsent(n.id(), k -> new AtomicLong()).incrementAndGet();
        fresh.byGroup.computeIfAbsent(n.role() + "/" + n.region(), k -> new AtomicLong()).incrementAndGet();
        fresh.byGroup.computeIfAbsent(n.role() + "/*", k -> new AtomicLong()).incrementAndGet();
    }

    /** This member's recent placements per node, to share with the others. */
    public Map<String, Long> ownPendingSnapshot() {
        return ownPending.snapshot(System.currentTimeMillis());
    }

    /** The other members' recent placements per node, summed. */
    public void othersPending(Map<String, Long> sum) {
        othersPending = Map.copyOf(sum);
    }

    /**
     * Recomputes every node's load (reported + pending) and each ring's total. Runs every
     * {@link #REFRESH_MS} on the manager's scheduler, so the request path only reads.
     */
    public void refresh() {
        Rings r = rings();
        // Placements from now on land in a fresh Since; the pending counts read below hold the rest.
        since = new Since();
        long now = System.currentTimeMillis();
        Map<String, Long> loads = new HashMap<>();
        for (NodeRecord n : nodes.values()) {
            if (n.state() == NodeState.INSERVICE) {
                Long others = othersPending.get(n.id());
                long reported = n.role() == NodeRole.ORIGIN ? n.load().publishers() : n.load().subscribers();
                loads.put(n.id(), reported + ownPending.get(n.id(), now) + (others == null ? 0 : others));
            }
        }
        Map<String, Long> totals = new HashMap<>();
        for (Map.Entry<String, HashRing> e : r.byGroup.entrySet()) {
            long t = 0;
            for (String id : e.getValue().nodes()) {
                Long l = loads.get(id);
                t += l == null ? 0 : l;
            }
            totals.put(e.getKey(), t);
        }
        board = new Board(loads, totals);
    }

    private Rings rings() {
        Rings r = rings;
        long v = membershipVersion.get();
        if (r.version == v) {
            return r;
        }
        synchronized (this) {
            r = rings;
            if (r.version == v) {
                return r;
            }
            Map<String, List<String>> groups = new HashMap<>();
            for (NodeRecord n : nodes.values()) {
                if (n.state() != NodeState.INSERVICE) {
                    continue;
                }
                groups.computeIfAbsent(n.role() + "/" + n.region(), k -> new ArrayList<>()).add(n.id());
                groups.computeIfAbsent(n.role() + "/*", k -> new ArrayList<>()).add(n.id());
            }
            Map<String, HashRing> byGroup = new HashMap<>();
            groups.forEach((k, ids) -> byGroup.put(k, HashRing.of(ids, pointsPerNode)));
            rings = new Rings(v, byGroup);
            return rings;
        }
    }

    private record Rings(long version, Map<String, HashRing> byGroup) {}

    /** Loads per INSERVICE node and totals per ring group, as of the last refresh. */
    private record Board(Map<String, Long> loads, Map<String, Long> totals) {}

    private static final class Since {
        final ConcurrentHashMap<String, AtomicLong> byNode = new ConcurrentHashMap<>();
        final ConcurrentHashMap<String, AtomicLong> byGroup = new ConcurrentHashMap<>();
    }
}
