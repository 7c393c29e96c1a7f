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
import java.util.concurrent.atomic.LongAdder;

/**
 * Chooses nodes: an edge for a viewer, a relay for an edge's pull, the least-loaded origin for a
 * new publisher. Everything it reads is local to this member (the node view and counters kept
 * beside it), so a placement never waits on the cluster.
 *
 * <p>Edges and relays are chosen by consistent hashing of the stream key with bounded loads
 * ({@link BoundedLoad}): a stream's viewers go to the stream's first edge on the ring until it holds
 * {@code balanceFactor} x the average load, then spill to the next. Viewers of one stream thus
 * concentrate on few edges, so relays carry few copies of it, and no edge runs hot.
 *
 * <p>A node's load is what its last heartbeat reported plus the placements made on it within
 * {@code placement.pendingWindowMs} by any member (viewers take a moment to connect and show up in a
 * heartbeat). This member's placements count at once; the other members' arrive every 250 ms
 * through the cluster ({@link #othersPending}).
 *
 * <p>Nothing is recomputed periodically: the reported total of each ring group is kept up to date
 * by {@link #nodeChanged} (every change to the node view passes through it, with the value before
 * and after), and pending placements are counted per node and per group as they are made. A request
 * costs a ring walk and a few map reads.
 */
public final class Placer {
    private final double balanceFactor;
    private final int pointsPerNode;
    private volatile Map<String, NodeRecord> nodes = Map.of();
    private final PendingLoad ownByNode;
    private final PendingLoad ownByGroup;
    private volatile Map<String, Long> othersByNode = Map.of();
    private volatile Map<String, Long> othersByGroup = Map.of();
    /** Per ring group, the sum of the INSERVICE nodes' reported load. */
    private final ConcurrentHashMap<String, LongAdder> reportedByGroup = new ConcurrentHashMap<>();
    private final AtomicLong membershipVersion = new AtomicLong();
    private volatile Rings rings = new Rings(-1, Map.of());

    public Placer(double balanceFactor, int pointsPerNode, int pendingWindowMs) {
        this.balanceFactor = balanceFactor;
        this.pointsPerNode = pointsPerNode;
        this.ownByNode = new PendingLoad(pendingWindowMs, 10);
        this.ownByGroup = new PendingLoad(pendingWindowMs, 10);
    }

    /** Points the placer at this member's node view (by id). */
    public void bind(Map<String, NodeRecord> nodeView) {
        this.nodes = nodeView;
        membershipVersion.incrementAndGet();
    }

    /**
     * The node view changed from {@code old} to {@code now} (either may be null). Keeps the groups'
     * reported totals exact, and rebuilds the rings on next use when a node's role, region or state
     * changed or a node came or went. Called by the view for every change, on whatever thread made it.
     */
    public void nodeChanged(NodeRecord old, NodeRecord now) {
        if (old != null && old.state() == NodeState.INSERVICE) {
            long r = reported(old);
            reportedByGroup.computeIfAbsent(group(old), k -> new LongAdder()).add(-r);
            reportedByGroup.computeIfAbsent(anyRegion(old.role()), k -> new LongAdder()).add(-r);
        }
        if (now != null && now.state() == NodeState.INSERVICE) {
            long r = reported(now);
            reportedByGroup.computeIfAbsent(group(now), k -> new LongAdder()).add(r);
            reportedByGroup.computeIfAbsent(anyRegion(now.role()), k -> new LongAdder()).add(r);
        }
        if (now == null && old != null) {
            ownByNode.forget(old.id()); // the node was forgotten: its counts with it
        }
        if (old == null || now == null || old.state() != now.state() || old.role() != now.role()
                || !old.region().equals(now.region())) {
            membershipVersion.incrementAndGet();
        }
    }

    /** The edge for a viewer of {@code stream} in {@code region}; null when no edge has room. */
    public NodeRecord subscriber(String stream, String region, boolean crossRegion) {
        return hashed(NodeRole.EDGE, stream, region, crossRegion, Set.of());
    }

    /**
     * The relay for {@code asking}'s pull of {@code stream}, chosen the same stream-affine way (its
     * own region first); null when no relay has room.
     */
    public NodeRecord relay(String stream, NodeRecord asking, Set<String> exclude) {
        return hashed(NodeRole.RELAY, stream, asking.region(), true, exclude);
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
        long now = System.currentTimeMillis();
        for (String id : ringNodes(region == null ? anyRegion(NodeRole.ORIGIN) : group(NodeRole.ORIGIN, region))) {
            NodeRecord n = nodes.get(id);
            if (n == null || n.state() != NodeState.INSERVICE || overBandwidth(n)) {
                continue;
            }
            long load = n.load().publishers() + pending(id, now);
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

    private List<String> ringNodes(String group) {
        HashRing ring = rings().byGroup.get(group);
        return ring == null ? List.of() : ring.nodes();
    }

    private NodeRecord hashed(NodeRole role, String stream, String region, boolean crossRegion, Set<String> exclude) {
        Rings r = rings();
        String group = group(role, region);
        NodeRecord chosen = pick(r.byGroup.get(group), group, stream, exclude);
        if (chosen == null && crossRegion) {
            String any = anyRegion(role);
            chosen = pick(r.byGroup.get(any), any, stream, exclude);
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
        long now = System.currentTimeMillis();
        LongAdder reported = reportedByGroup.get(group);
        Long others = othersByGroup.get(group);
        long total = (reported == null ? 0 : reported.sum()) + ownByGroup.get(group, now) + (others == null ? 0 : others);
        String id = BoundedLoad.place(ring, stream, total, ring.size(),
                node -> subscribersOf(nodes.get(node), now),
                node -> {
                    NodeRecord n = nodes.get(node);
                    return n == null ? 0 : n.capacity().maxSubscribers();
                }, balanceFactor,
                node -> {
                    NodeRecord n = nodes.get(node);
                    return !exclude.contains(node) && n != null && n.state() == NodeState.INSERVICE && !overBandwidth(n);
                });
        return id == null ? null : nodes.get(id);
    }

    /** Reported plus pending; a node removed since the eligibility check counts as full. */
    private long subscribersOf(NodeRecord n, long now) {
        return n == null ? Long.MAX_VALUE : n.load().subscribers() + pending(n.id(), now);
    }

    private long pending(String id, long now) {
        Long others = othersByNode.get(id);
        return ownByNode.get(id, now) + (others == null ? 0 : others);
    }

    private static boolean overBandwidth(NodeRecord n) {
        double max = n.capacity().maxMbpsOut();
        return max > 0 && n.load().mbpsOut() >= max;
    }

    private void placed(NodeRecord n) {
        long now = System.currentTimeMillis();
        ownByNode.add(n.id(), now);
        ownByGroup.add(group(n), now);
        ownByGroup.add(anyRegion(n.role()), now);
    }

    private static long reported(NodeRecord n) {
        return n.role() == NodeRole.ORIGIN ? n.load().publishers() : n.load().subscribers();
    }

    /** Group keys are cached: building them per request and per pending entry showed up in profiles. */
    private static final ConcurrentHashMap<String, String>[] GROUP_KEYS = groupKeyTables();
    private static final String[] ANY_REGION = anyRegionKeys();

    @SuppressWarnings("unchecked")
    private static ConcurrentHashMap<String, String>[] groupKeyTables() {
        ConcurrentHashMap<String, String>[] t = new ConcurrentHashMap[NodeRole.values().length];
        for (int i = 0; i < t.length; i++) {
            t[i] = new ConcurrentHashMap<>();
        }
        return t;
    }

    private static String[] anyRegionKeys() {
        String[] keys = new String[NodeRole.values().length];
        for (NodeRole r : NodeRole.values()) {
            keys[r.ordinal()] = r + "/*";
        }
        return keys;
    }

    private static String group(NodeRole role, String region) {
        return GROUP_KEYS[role.ordinal()].computeIfAbsent(region, r -> role + "/" + r);
    }

    private static String group(NodeRecord n) {
        return group(n.role(), n.region());
    }

    private static String anyRegion(NodeRole role) {
        return ANY_REGION[role.ordinal()];
    }

    /** This member's recent placements per node, to share with the others. */
    public Map<String, Long> ownPendingSnapshot() {
        return ownByNode.snapshot(System.currentTimeMillis());
    }

    /** The other members' recent placements per node, summed; also summed per ring group here. */
    public void othersPending(Map<String, Long> byNode) {
        Map<String, Long> byGroup = new HashMap<>();
        for (Map.Entry<String, Long> e : byNode.entrySet()) {
            NodeRecord n = nodes.get(e.getKey());
            if (n != null) {
                byGroup.merge(group(n), e.getValue(), Long::sum);
                byGroup.merge(anyRegion(n.role()), e.getValue(), Long::sum);
            }
        }
        othersByNode = Map.copyOf(byNode);
        othersByGroup = Map.copyOf(byGroup);
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
                groups.computeIfAbsent(group(n), k -> new ArrayList<>()).add(n.id());
                groups.computeIfAbsent(anyRegion(n.role()), k -> new ArrayList<>()).add(n.id());
            }
            Map<String, HashRing> byGroup = new HashMap<>();
            groups.forEach((k, ids) -> byGroup.put(k, HashRing.of(ids, pointsPerNode)));
            rings = new Rings(v, byGroup);
            return rings;
        }
    }

    private record Rings(long version, Map<String, HashRing> byGroup) {}
}
