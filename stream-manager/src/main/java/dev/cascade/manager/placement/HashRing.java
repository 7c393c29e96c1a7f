package dev.cascade.manager.placement;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An immutable consistent-hash ring over node ids (Karger et al., "Consistent Hashing and Random
 * Trees", STOC 1997), with {@code pointsPerNode} points ("virtual nodes") per node so that each
 * node owns many small arcs rather than one large one.
 *
 * <p>A key goes to the first point at or after {@code Hash64.hash(key)}, walking clockwise
 * (increasing signed 64-bit order, wrapping at the end). Removing a node therefore moves only the
 * keys whose walk first met that node's points; every other key keeps its node. {@link #first}
 * keeps walking past nodes the caller finds ineligible (full, draining, over the bounded-load
 * limit), which yields a per-key preference order of the distinct nodes: the order is the same
 * as the one the ring without those nodes would give, which is what makes the bounded-load
 * placement of {@link BoundedLoad} consistent.
 *
 * <p>Point {@code r} of a node is {@code fmix64(hash(nodeId) + (r + 1) * GOLDEN_GAMMA)}: the
 * SplitMix sequence seeded by the node id (Steele, Lea, Flood, "Fast Splittable Pseudorandom
 * Number Generators", OOPSLA 2014), which needs no string building per point, so 10,000 nodes
 * of 64 points build in tens of milliseconds. Points are kept in a sorted {@code long[]} with a
 * parallel {@code int[]} of node indexes and found by binary search. Equal points (vanishingly
 * rare) are ordered by node id, and node indexes follow the sorted node ids, so the ring and every
 * answer depend only on the set of ids, never on the order they were given in.
 *
 * <p>Thread-safe: all state is final and never written after construction.
 */
public final class HashRing {

    /** 2^64 / golden ratio, the SplitMix increment: consecutive multiples are spread evenly mod 2^64. */
    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private final String[] nodes;
    private final List<String> nodeList;
    private final int pointsPerNode;
    /** Point hashes, ascending in signed order. */
    private final long[] points;
    /** {@code owners[i]} is the index in {@link #nodes} of the node owning {@code points[i]}. */
    private final int[] owners;

    private HashRing(String[] nodes, int pointsPerNode, long[] points, int[] owners) {
        this.nodes = nodes;
        this.nodeList = List.of(nodes);
        this.pointsPerNode = pointsPerNode;
        this.points = points;
        this.owners = owners;
    }

    /**
     * A ring over the distinct ids in {@code nodeIds} (duplicates are ignored; empty is allowed and
     * places nothing).
     *
     * @throws IllegalArgumentException if {@code pointsPerNode < 1} or the ring would exceed
     *     {@code Integer.MAX_VALUE - 8} points
     * @throws NullPointerException if the collection or an id is null
     */
    public static HashRing of(Collection<String> nodeIds, int pointsPerNode) {
        Objects.requireNonNull(nodeIds, "nodeIds");
        if (pointsPerNode < 1) {
            throw new IllegalArgumentException("pointsPerNode must be >= 1 (got " + pointsPerNode + ")");
        }
        TreeSet<String> distinct = new TreeSet<>();
        for (String id : nodeIds) {
            distinct.add(Objects.requireNonNull(id, "node id"));
        }
        String[] ids = distinct.toArray(new String[0]);
        long total = (long) ids.length * pointsPerNode;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(ids.length + " nodes x " + pointsPerNode
                    + " points per node is too many points for one ring");
        }
        int size = (int) total;
        long[] keys = new long[size];
        int[] owners = new int[size];
        int k = 0;
        for (int i = 0; i < ids.length; i++) {
            long seed = Hash64.hash(ids[i]);
            for (int r = 1; r <= pointsPerNode; r++) {
                keys[k] = Hash64.fmix64(seed + r * GOLDEN_GAMMA);
                owners[k] = i;
                k++;
            }
        }
        // Points were generated in node-index order and the sort is stable, so equal points stay
        // ordered by node index, that is by node id.
        radixSort(keys, owners);
        return new HashRing(ids, pointsPerNode, keys, owners);
    }

    /**
     * The first node clockwise from {@code hash(key)} that {@code eligible} accepts, visiting each
     * distinct node once, in ring order; null if there is none (or the ring is empty).
     *
     * <p>{@code eligible} is called at most once per node, and only until it first returns true.
     * It should be a pure function of the node id for the duration of the call.
     *
     * <p>Allocation: none in the common case where the key's own node is eligible. Otherwise the
     * walk must skip the points of nodes already seen, since with P points per node a node recurs
     * about P times per lap; simply re-testing nodes and walking a full lap would call
     * {@code eligible} up to {@code size() x pointsPerNode} times (640,000 for 10,000 x 64) exactly
     * when the cluster is full and every answer is "no". So the walk marks seen nodes in a
     * per-thread {@code int[]} of epoch stamps: starting a walk bumps the epoch, which clears all
     * marks in O(1), and the array is reused by later calls on the same thread (it grows to the
     * largest ring seen, 4 bytes per node). A walk that starts while another is in progress on
     * the same thread (an {@code eligible} that itself calls {@code first}) takes a fresh array:
     * sharing it would bump the epoch under the outer walk, which would then find every node
     * already marked and never finish.
     */
    public String first(String key, Predicate<String> eligible) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(eligible, "eligible");
        int n = nodes.length;
        if (n == 0) {
            return null;
        }
        int i = ceilingIndex(Hash64.hash(key));
        int owner = owners[i];
        if (eligible.test(nodes[owner])) {
            return nodes[owner];
        }
        if (n == 1) {
            return null;
        }
        Visited visited = Visited.acquire(n);
        try {
            visited.mark(owner);
            int seen = 1;
            // Every node owns at least one point, so all n are seen within one lap.
            while (seen < n) {
                if (++i == points.length) {
                    i = 0;
                }
                owner = owners[i];
                if (visited.mark(owner)) {
                    seen++;
                    if (eligible.test(nodes[owner])) {
                        return nodes[owner];
                    }
                }
            }
            return null;
        } finally {
            visited.release();
        }
    }

    /** The number of distinct nodes. */
    public int size() {
        return nodes.length;
    }

    /** The node ids, sorted, without duplicates; unmodifiable. */
    public List<String> nodes() {
        return nodeList;
    }

    /** Points per node, as given to {@link #of}. */
    public int pointsPerNode() {
        return pointsPerNode;
    }

    @Override
    public String toString() {
        return "HashRing[nodes=" + nodes.length + ", pointsPerNode=" + pointsPerNode + "]";
    }

    /** Index of the first point >= h, or 0 when h is above every point (the ring wraps). */
    private int ceilingIndex(long h) {
        int lo = 0;
        int hi = points.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (points[mid] < h) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == points.length ? 0 : lo;
    }

    /**
     * Stable LSD radix sort of {@code keys} (signed order) carrying {@code values} along: 8 passes
     * of one byte, O(n) and allocation of one spare pair of arrays, several times faster than
     * sorting boxed (key, owner) pairs. A pass whose byte is the same in every key is skipped.
     */
    private static void radixSort(long[] keys, int[] values) {
        int n = keys.length;
        long[] srcK = keys;
        int[] srcV = values;
        long[] dstK = new long[n];
        int[] dstV = new int[n];
        int[] count = new int[257];
        for (int shift = 0; shift < 64; shift += 8) {
            Arrays.fill(count, 0);
            for (int i = 0; i < n; i++) {
                count[digit(srcK[i], shift) + 1]++;
            }
            if (n == 0 || count[digit(srcK[0], shift) + 1] == n) {
                continue;
            }
            for (int d = 0; d < 256; d++) {
                count[d + 1] += count[d];
            }
            for (int i = 0; i < n; i++) {
                int at = count[digit(srcK[i], shift)]++;
                dstK[at] = srcK[i];
                dstV[at] = srcV[i];
            }
            long[] tk = srcK;
            srcK = dstK;
            dstK = tk;
            int[] tv = srcV;
            srcV = dstV;
            dstV = tv;
        }
        if (srcK != keys) {
            System.arraycopy(srcK, 0, keys, 0, n);
            System.arraycopy(srcV, 0, values, 0, n);
        }
    }

    /** Byte {@code shift / 8} of the key with the sign bit flipped, so unsigned digit order is signed key order. */
    private static int digit(long key, int shift) {
        return (int) ((key ^ Long.MIN_VALUE) >>> shift) & 0xff;
    }

    /** Per-thread marks of the nodes a walk has seen; see {@link #first}. */
    private static final class Visited {
        private static final ThreadLocal<Visited> PER_THREAD = ThreadLocal.withInitial(Visited::new);

        private int[] stamps = new int[0];
        private int epoch;
        private boolean inUse;

        static Visited acquire(int nodes) {
            Visited v = PER_THREAD.get();
            if (v.inUse) {
                v = new Visited();
            }
            v.inUse = true;
            if (v.stamps.length < nodes) {
                v.stamps = new int[nodes];
            }
            if (++v.epoch == 0) {
                // 2^32 walks on this thread: old stamps could now equal the epoch, so clear them.
                Arrays.fill(v.stamps, 0);
                v.epoch = 1;
            }
            return v;
        }

        /** Marks the node; true if it was not yet marked in this walk. */
        boolean mark(int node) {
            if (stamps[node] == epoch) {
                return false;
            }
            stamps[node] = epoch;
            return true;
        }

        void release() {
            inUse = false;
        }
    }
}
