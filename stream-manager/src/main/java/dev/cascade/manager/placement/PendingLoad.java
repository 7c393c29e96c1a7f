package dev.cascade.manager.placement;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * How many placements each node received recently, over a sliding window.
 *
 * <p>Why: a viewer told to use an edge takes a moment to connect, and the edge reports it only in a
 * later heartbeat. Without this count a burst of subscribe requests (a show starting) would all see
 * the same stale load and all land on the stream's first edge, far past the bounded-load limit.
 * The stream manager adds {@link #get} to the node's reported subscribers until the window has
 * passed, by which time the heartbeat covers the viewer.
 *
 * <p>How: per node, a ring of {@code buckets + 1} time slices of {@code ceil(windowMs / buckets)}
 * ms each. A slot holds the index of its slice ({@code floorDiv(now, width)}) and an atomic count;
 * a slot whose index is too old is replaced by a fresh one with a single compare-and-set, so a slot
 * is recycled without clearing it in place and no count is ever lost to a reset race. Threads
 * adding for different nodes touch different entries of a {@link ConcurrentHashMap}; threads adding
 * for the same node contend on one {@code AtomicLong} only. No global lock; an {@code add} allocates
 * only when it opens a new slice (at most once per slice and node).
 *
 * <p>Window: a placement made at {@code t} is counted by {@code get(node, now)} while
 * {@code floorDiv(now, width) - floorDiv(t, width) <= buckets}, that is for {@code now} from
 * {@code t} to {@code t + D} (exclusive) with {@code windowMs <= buckets x width < D <= (buckets + 1) x width}.
 * Erring long rather than short means a placement never stops counting before its viewer had the
 * full window to show up in a heartbeat.
 *
 * <p>Clocks: callers pass {@code nowMs} (tests drive time explicitly). Callers on different threads
 * may read the clock in a slightly different order than they call; a placement whose time is older
 * than the slot it meets is counted in that newer slot (it expires a little later), and a slot
 * newer than a reader's {@code now} is counted by that reader. Neither is ever dropped.
 *
 * <p>Entries are removed only by {@link #forget} (a node that left the cluster); the key set is the
 * set of nodes, so it stays bounded.
 */
public final class PendingLoad {

    private final int slots;
    private final long widthMs;
    private final ConcurrentHashMap<String, AtomicReferenceArray<Slice>> perNode = new ConcurrentHashMap<>();

    /**
     * @param windowMs how long a placement counts, at least; > 0
     * @param buckets how many slices the window is cut into (more: expiry closer to
     *     {@code windowMs}, a little more memory); between 1 and {@code windowMs}
     */
    public PendingLoad(long windowMs, int buckets) {
        if (windowMs <= 0) {
            throw new IllegalArgumentException("windowMs must be > 0 (got " + windowMs + ")");
        }
        if (buckets < 1 || buckets > windowMs) {
            throw new IllegalArgumentException("buckets must be between 1 and windowMs = " + windowMs
                    + " (got " + buckets + ")");
        }
        this.slots = buckets + 1;
        this.widthMs = (windowMs + buckets - 1) / buckets;
    }

    /** Counts one placement on {@code nodeId} at {@code nowMs}. */
    public void add(String nodeId, long nowMs) {
        Objects.requireNonNull(nodeId, "nodeId");
        AtomicReferenceArray<Slice> ring = perNode.computeIfAbsent(nodeId, id -> new AtomicReferenceArray<>(slots));
        long index = Math.floorDiv(nowMs, widthMs);
        int slot = (int) Math.floorMod(index, (long) slots);
        while (true) {
            Slice s = ring.get(slot);
            if (s != null && s.index >= index) {
                // Same slice, or a newer one opened by a caller whose clock read came later.
                s.count.incrementAndGet();
                return;
            }
            if (ring.compareAndSet(slot, s, new Slice(index))) {
                return;
            }
        }
    }

    /** Placements on {@code nodeId} still inside the window at {@code nowMs}. */
    public long get(String nodeId, long nowMs) {
        Objects.requireNonNull(nodeId, "nodeId");
        AtomicReferenceArray<Slice> ring = perNode.get(nodeId);
        return ring == null ? 0 : sum(ring, Math.floorDiv(nowMs, widthMs));
    }

    /** Every node with placements inside the window at {@code nowMs}, with its count; unmodifiable. */
    public Map<String, Long> snapshot(long nowMs) {
        long index = Math.floorDiv(nowMs, widthMs);
        Map<String, Long> out = new HashMap<>();
        perNode.forEach((node, ring) -> {
            long n = sum(ring, index);
            if (n != 0) {
                out.put(node, n);
            }
        });
        return Map.copyOf(out);
    }

    /** Drops everything counted for {@code nodeId} (the node left; its id may come back fresh). */
    public void forget(String nodeId) {
        perNode.remove(Objects.requireNonNull(nodeId, "nodeId"));
    }

    private long sum(AtomicReferenceArray<Slice> ring, long index) {
        long oldest = index - (slots - 1);
        long n = 0;
        for (int i = 0; i < slots; i++) {
            Slice s = ring.get(i);
            if (s != null && s.index >= oldest) {
                n += s.count.get();
            }
        }
        return n;
    }

    /** One time slice of one node: its index ({@code floorDiv(t, width)}) and placements counted in it. */
    private static final class Slice {
        final long index;
        final AtomicLong count;

        Slice(long index) {
            this.index = index;
            this.count = new AtomicLong(1);
        }
    }
}
