package dev.cascade.manager.placement;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Consistent hashing with bounded loads: V. Mirrokni, M. Thorup, M. Zadimoghaddam, "Consistent
 * Hashing with Bounded Loads", SODA 2018 (<a href="https://arxiv.org/abs/1608.01350">arXiv:1608.01350</a>);
 * the rule behind HAProxy's {@code hash-balance-factor} (a percentage: 150 caps every server at
 * 1.5 x the average) and Envoy's ring-hash {@code hash_balance_factor}.
 *
 * <p>Every node may carry at most {@code ceil(c x average load)}, counting the unit being placed;
 * a key walks the ring clockwise from its hash and takes the first node that still has room. So no
 * node ever goes above the bound, and the paper shows that with {@code c = 1 + epsilon} the
 * expected number of keys that move when a key or node comes or goes depends on epsilon only, not
 * on how many keys or nodes there are: placement stays consistent. For us the key is the stream:
 * its viewers pile onto the stream's first node until that node reaches the bound, then spill
 * onto the next node of the stream's ring walk, so a stream touches as few edges as the bound
 * allows (relays carry fewer copies of it) while no edge goes above {@code c} times the average.
 *
 * <p>The paper needs {@code c > 1}: at {@code c = 1} every node is capped at the exact average, so
 * the bound moves with every arrival and departure, keys are pushed further and further round the
 * ring and the consistency guarantee is lost. Hence {@code balanceFactor} must be above 1.
 */
public final class BoundedLoad {

    private BoundedLoad() {}

    /**
     * The most load one node may carry after accepting one more unit:
     * {@code ceil(balanceFactor x (totalLoad + 1) / nodes)}.
     *
     * <p>A node with load {@code l} may take the unit when {@code l < limit}. Some node always can:
     * the least-loaded node carries at most {@code totalLoad / nodes}, which is below the limit.
     *
     * <p>Computed in decimal, with {@code balanceFactor} taken as its shortest decimal
     * representation ({@link BigDecimal#valueOf(double)}), so a configured {@code 1.1} means
     * exactly 1.1: in binary floating point {@code 1.1 x 50 / 5} is {@code 11.000000000000002},
     * whose ceiling, 12, would quietly loosen the bound.
     *
     * @throws IllegalArgumentException if {@code balanceFactor} is not a finite number above 1,
     *     {@code totalLoad < 0} or {@code nodes < 1}
     */
    public static long limit(double balanceFactor, long totalLoad, int nodes) {
        checkBalanceFactor(balanceFactor);
        if (totalLoad < 0) {
            throw new IllegalArgumentException("totalLoad must be >= 0 (got " + totalLoad + ")");
        }
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be >= 1 (got " + nodes + ")");
        }
        BigDecimal bound = BigDecimal.valueOf(balanceFactor)
                .multiply(BigDecimal.valueOf(totalLoad).add(BigDecimal.ONE))
                .divide(BigDecimal.valueOf(nodes), 0, RoundingMode.CEILING);
        return bound.min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
    }

    /**
     * The first node clockwise from {@code hash(key)} that is eligible, below the bounded-load
     * {@link #limit} and below its capacity; null if no node qualifies.
     *
     * <p>The limit is computed over the eligible nodes only: their count and the sum of their
     * loads. Nodes the caller excludes (draining, another role or region) neither hold nor take
     * load here, so the average is that of the nodes that can actually receive the unit.
     *
     * @param ring the nodes to choose from
     * @param key what is placed; for subscribers, the stream, so its viewers concentrate
     * @param load a node's current load (for an edge: reported subscribers plus {@link PendingLoad});
     *     must be >= 0
     * @param capacity a node's hard capacity in the same unit; 0 means unlimited; must be >= 0
     * @param balanceFactor {@code c} of the paper; must be above 1 (1.25: at most 25% above average)
     * @param eligible which nodes may be chosen at all
     * @throws IllegalArgumentException if {@code balanceFactor} is not a finite number above 1, or a
     *     load or capacity is negative
     */
    public static String place(HashRing ring, String key, ToLongFunction<String> load,
                               ToLongFunction<String> capacity, double balanceFactor,
                               Predicate<String> eligible) {
        Objects.requireNonNull(ring, "ring");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(load, "load");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(eligible, "eligible");
        checkBalanceFactor(balanceFactor);
        long total = 0;
        int count = 0;
        for (String node : ring.nodes()) {
            if (eligible.test(node)) {
                total += loadOf(load, node);
                count++;
            }
        }
        if (count == 0) {
            return null;
        }
        return place(ring, key, total, count, load, capacity, balanceFactor, eligible);
    }

    /**
     * As {@link #place(HashRing, String, ToLongFunction, ToLongFunction, double, Predicate)}, with
     * the total load and the node count the limit is computed over given by the caller. The stream
     * manager keeps each ring's total up to date as loads change instead of summing the ring per
     * request; its average is over every in-service node of the ring, including one that is
     * ineligible for this request (excluded by the asking node, or at its bandwidth cap), since such a
     * node still carries its load.
     */
    public static String place(HashRing ring, String key, long totalLoad, int nodes, ToLongFunction<String> load,
                               ToLongFunction<String> capacity, double balanceFactor, Predicate<String> eligible) {
        if (nodes == 0) {
            return null;
        }
        long limit = limit(balanceFactor, totalLoad, nodes);
        return ring.first(key, node -> {
            if (!eligible.test(node)) {
                return false;
            }
            long l = loadOf(load, node);
            if (l >= limit) {
                return false;
            }
            long cap = capacity.applyAsLong(node);
            if (cap < 0) {
                throw new IllegalArgumentException("capacity of node " + node + " must be >= 0 (got " + cap + ")");
            }
            return cap == 0 || l < cap;
        });
    }

    private static long loadOf(ToLongFunction<String> load, String node) {
        long l = load.applyAsLong(node);
        if (l < 0) {
            throw new IllegalArgumentException("load of node " + node + " must be >= 0 (got " + l + ")");
        }
        return l;
    }

    private static void checkBalanceFactor(double balanceFactor) {
        if (!(balanceFactor > 1.0) || Double.isInfinite(balanceFactor)) {
            throw new IllegalArgumentException("balanceFactor must be a finite number above 1 (got "
                    + balanceFactor + "); Mirrokni, Thorup, Zadimoghaddam's bound needs c = 1 + epsilon, epsilon > 0");
        }
    }
}
