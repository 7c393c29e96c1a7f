package dev.cascade.manager.placement;

import static dev.cascade.manager.placement.HashRingTest.nodes;
import static dev.cascade.manager.placement.HashRingTest.preferenceOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class BoundedLoadTest {

    static final Predicate<String> ANY = id -> true;
    static final ToLongFunction<String> UNLIMITED = id -> 0;

    record Limit(double c, long total, int nodes, long limit) {}

    static Stream<Limit> limits() {
        return Stream.of(
                new Limit(1.25, 0, 10, 1),        // ceil(0.125): an empty cluster still takes a first unit anywhere
                new Limit(1.25, 999, 10, 125),    // ceil(1.25 x 1000 / 10), exact
                new Limit(1.25, 1000, 10, 126),   // ceil(125.125)
                new Limit(2.0, 5, 3, 4),          // ceil(2 x 6 / 3), exact
                new Limit(1.5, 3, 4, 2),          // ceil(1.5)
                new Limit(1.1, 49, 5, 11),        // decimal 1.1 x 50 / 5 = 11 exactly (binary: 11.000000000000002)
                new Limit(1.0000001, 99, 100, 2), // any epsilon above 1 rounds up
                new Limit(1.25, Long.MAX_VALUE - 1, 1, Long.MAX_VALUE)); // saturates rather than overflowing
    }

    @ParameterizedTest
    @MethodSource("limits")
    void limitIsCeilOfFactorTimesAverageIncludingTheNewUnit(Limit l) {
        assertThat(BoundedLoad.limit(l.c(), l.total(), l.nodes())).isEqualTo(l.limit());
    }

    @Test
    void limitIsComputedInDecimalNotBinary() {
        // The trap the decimal arithmetic avoids: 1.1 is not representable in binary.
        assertThat(Math.ceil(1.1 * 50 / 5)).isEqualTo(12.0);
        assertThat(BoundedLoad.limit(1.1, 49, 5)).isEqualTo(11);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 0.99, 0.0, -1.25, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void balanceFactorMustBeAFiniteNumberAboveOne(double c) {
        assertThatThrownBy(() -> BoundedLoad.limit(c, 10, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("balanceFactor");
        HashRing ring = HashRing.of(nodes(2), 8);
        assertThatThrownBy(() -> BoundedLoad.place(ring, "live/a", id -> 0, UNLIMITED, c, ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("balanceFactor");
    }

    @Test
    void limitRejectsNegativeTotalAndNoNodes() {
        assertThatThrownBy(() -> BoundedLoad.limit(1.25, -1, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("totalLoad");
        assertThatThrownBy(() -> BoundedLoad.limit(1.25, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodes");
    }

    @Test
    void takesTheKeysOwnNodeWhileItIsBelowTheLimit() {
        HashRing ring = HashRing.of(nodes(4), 64);
        String home = ring.first("live/a", ANY);
        Map<String, Long> load = new HashMap<>(Map.of("edge-0", 10L, "edge-1", 10L, "edge-2", 10L, "edge-3", 10L));
        load.put(home, 11L); // total 41, limit ceil(1.25 x 42 / 4) = 14
        assertThat(BoundedLoad.place(ring, "live/a", load::get, UNLIMITED, 1.25, ANY)).isEqualTo(home);
    }

    @Test
    void skipsANodeAtTheLimitToTheNextOneInRingOrder() {
        HashRing ring = HashRing.of(nodes(4), 64);
        List<String> order = preferenceOrder(ring, "live/a");
        Map<String, Long> load = new HashMap<>(Map.of(order.get(0), 14L, order.get(1), 9L, order.get(2), 9L,
                order.get(3), 9L)); // total 41, limit 14: the first is full
        assertThat(BoundedLoad.place(ring, "live/a", load::get, UNLIMITED, 1.25, ANY)).isEqualTo(order.get(1));
        load.put(order.get(1), 14L); // total 46, limit ceil(1.25 x 47 / 4) = 15: the first has room again
        assertThat(BoundedLoad.place(ring, "live/a", load::get, UNLIMITED, 1.25, ANY)).isEqualTo(order.get(0));
    }

    @Test
    void capacityZeroMeansUnlimited() {
        HashRing ring = HashRing.of(nodes(2), 64);
        List<String> order = preferenceOrder(ring, "live/a");
        // Both at 1000: far above any sensible capacity, but the limit (1251) is all that binds.
        ToLongFunction<String> load = id -> 1_000;
        assertThat(BoundedLoad.place(ring, "live/a", load, id -> 0, 1.25, ANY)).isEqualTo(order.get(0));
        assertThat(BoundedLoad.place(ring, "live/a", load, id -> id.equals(order.get(0)) ? 1_000 : 0, 1.25, ANY))
                .isEqualTo(order.get(1));
        assertThat(BoundedLoad.place(ring, "live/a", load, id -> 1_001, 1.25, ANY)).isEqualTo(order.get(0));
    }

    @Test
    void nullWhenEveryNodeIsAtCapacity() {
        HashRing ring = HashRing.of(nodes(3), 64);
        assertThat(BoundedLoad.place(ring, "live/a", id -> 50, id -> 50, 1.25, ANY)).isNull();
        assertThat(BoundedLoad.place(ring, "live/a", id -> 50, id -> 51, 1.25, ANY)).isNotNull();
    }

    @Test
    void nullWhenNothingIsEligibleOrTheRingIsEmpty() {
        assertThat(BoundedLoad.place(HashRing.of(nodes(3), 8), "live/a", id -> 0, UNLIMITED, 1.25, id -> false)).isNull();
        assertThat(BoundedLoad.place(HashRing.of(List.of(), 8), "live/a", id -> 0, UNLIMITED, 1.25, ANY)).isNull();
    }

    @Test
    void ineligibleNodesAreSkippedAndTheirLoadDoesNotRaiseTheLimit() {
        HashRing ring = HashRing.of(nodes(3), 64);
        List<String> order = preferenceOrder(ring, "live/a");
        String first = order.get(0);
        String second = order.get(1);
        String drained = order.get(2);
        Map<String, Long> load = Map.of(first, 20L, second, 0L, drained, 1_000L);
        Predicate<String> eligible = id -> !id.equals(drained);
        // Over the eligible two: total 20, limit ceil(1.25 x 21 / 2) = 14, so the first is full.
        // Counting the drained node's 1000 the limit would be 426 and the first would be taken.
        assertThat(BoundedLoad.place(ring, "live/a", load::get, UNLIMITED, 1.25, eligible)).isEqualTo(second);
        assertThat(BoundedLoad.place(ring, "live/a", load::get, UNLIMITED, 1.25, id -> !id.equals(first)))
                .isEqualTo(second);
    }

    @Test
    void rejectsNegativeLoadOrCapacity() {
        HashRing ring = HashRing.of(nodes(2), 8);
        assertThatThrownBy(() -> BoundedLoad.place(ring, "live/a", id -> -1, UNLIMITED, 1.25, ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("load of node edge-");
        assertThatThrownBy(() -> BoundedLoad.place(ring, "live/a", id -> 0, id -> -1, 1.25, ANY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity of node edge-");
    }

    /**
     * The acceptance test of the issue: 10 edges, 1000 subscribe requests over 20 streams with
     * Zipf(1.0) popularity, placed one at a time with load = viewers placed so far, c = 1.25.
     *
     * <p>What is asserted, and why it holds:
     * <ol>
     * <li>Every request is placed and no edge ends above ceil(1.25 x 1000 / 10) = 125. Proof: the
     *     least-loaded edge carries at most T/n < c(T+1)/n <= limit, so a node with room always
     *     exists; a node takes a unit only while its load is below limit(T) = ceil(c(T+1)/n), so
     *     it ends at most at limit(T) <= limit(999) = 125 since the limit grows with T.</li>
     * <li>No viewer lands further than 8th in its stream's ring order. Proof: a viewer goes to the
     *     j-th node only if the j-1 before it are full, (j-1) x limit(T) <= T; with limit(T) >=
     *     c(T+1)/n that gives j-1 < n/c = 8. A least-loaded placer ignores the stream and so sends
     *     some viewers to the 9th or 10th edge of their stream's order: asserted on the baseline.</li>
     * <li>Viewers concentrate: the (stream, edge) pairs, each of which is one copy of the stream a
     *     relay must deliver to an edge, number less than half of what a least-loaded or a
     *     round-robin placer makes of the same request sequence. Those spread every stream over
     *     about min(viewers, 10) edges (about 180 pairs here); bounded load keeps a stream on its
     *     ring's first edge until that edge reaches the limit. This is empirical, not a theorem:
     *     for seed 42 it is 65 pairs against 186 (least loaded) and 180 (round robin), and over
     *     seeds 1 to 30 (the next test) at most 68 against at least 173, so the factor of 2 has a
     *     wide margin. The floor for any placer that respects the bound, the sum over streams of
     *     ceil(viewers / 125), is 22 or 23.
     *     What it does not achieve, and is not asserted: that every unpopular stream sits on one
     *     edge. While the cluster fills, the limit is small (1 at T = 0, 13 at T = 100), so early
     *     viewers of every stream spread, and a stream whose first edge is also the first edge of
     *     a popular stream spills once the popular one fills it.</li>
     * </ol>
     */
    @Test
    void zipfViewersConcentrateOnFewEdgesAndNoEdgeGoesAboveTheBound() {
        Outcome o = run(42);
        assertThat(o.placed).isEqualTo(1_000);
        long bound = (long) Math.ceil(1.25 * 1_000 / 10);
        assertThat(bound).isEqualTo(125);
        assertThat(o.maxLoad).isLessThanOrEqualTo(bound);
        assertThat(o.deepestChoice).isLessThanOrEqualTo(8);
        assertThat(o.leastLoadedDeepestChoice).isGreaterThan(8);
        assertThat(o.pairs).isGreaterThanOrEqualTo(o.floorPairs);
        assertThat(o.pairs * 2).isLessThan(o.leastLoadedPairs).isLessThan(o.roundRobinPairs);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void concentrationHoldsForOtherRequestSequencesToo(long seed) {
        Outcome o = run(seed);
        assertThat(o.maxLoad).isLessThanOrEqualTo(125);
        assertThat(o.deepestChoice).isLessThanOrEqualTo(8);
        assertThat(o.pairs * 2).isLessThan(o.leastLoadedPairs).isLessThan(o.roundRobinPairs);
    }

    static Stream<Long> seeds() {
        return Stream.iterate(1L, s -> s + 1).limit(30);
    }

    record Outcome(int placed, long maxLoad, int pairs, int leastLoadedPairs, int roundRobinPairs, int floorPairs,
                   int deepestChoice, int leastLoadedDeepestChoice) {}

    static Outcome run(long seed) {
        int edgeCount = 10;
        int streamCount = 20;
        int requests = 1_000;
        List<String> edges = nodes(edgeCount);
        HashRing ring = HashRing.of(edges, 64);
        int[] sequence = zipf(new Random(seed), streamCount, 1.0, requests);
        List<List<String>> orders = new java.util.ArrayList<>();
        for (int s = 0; s < streamCount; s++) {
            orders.add(preferenceOrder(ring, stream(s)));
        }

        Map<String, Long> load = new HashMap<>();
        List<Set<String>> bounded = sets(streamCount);
        int placed = 0;
        int deepest = 0;
        for (int s : sequence) {
            String edge = BoundedLoad.place(ring, stream(s), id -> load.getOrDefault(id, 0L), UNLIMITED, 1.25, ANY);
            if (edge != null) {
                placed++;
                load.merge(edge, 1L, Long::sum);
                bounded.get(s).add(edge);
                deepest = Math.max(deepest, orders.get(s).indexOf(edge) + 1);
            }
        }

        // Baseline 1: least loaded, ties broken at random (seeded), as a placer blind to streams does.
        // Ties to the lowest index would make it round robin, baseline 2.
        Random ties = new Random(seed + 1);
        long[] leastLoad = new long[edgeCount];
        List<Set<String>> leastLoaded = sets(streamCount);
        int leastDeepest = 0;
        for (int s : sequence) {
            int best = -1;
            int tied = 0;
            for (int e = 0; e < edgeCount; e++) {
                if (best < 0 || leastLoad[e] < leastLoad[best]) {
                    best = e;
                    tied = 1;
                } else if (leastLoad[e] == leastLoad[best] && ties.nextInt(++tied) == 0) {
                    best = e;
                }
            }
            leastLoad[best]++;
            leastLoaded.get(s).add(edges.get(best));
            leastDeepest = Math.max(leastDeepest, orders.get(s).indexOf(edges.get(best)) + 1);
        }
        // Baseline 2: round robin.
        List<Set<String>> roundRobin = sets(streamCount);
        for (int i = 0; i < sequence.length; i++) {
            roundRobin.get(sequence[i]).add(edges.get(i % edgeCount));
        }

        int[] viewers = new int[streamCount];
        for (int s : sequence) {
            viewers[s]++;
        }
        int floor = 0;
        for (int v : viewers) {
            floor += (v + 124) / 125;
        }
        long max = load.values().stream().mapToLong(Long::longValue).max().orElse(0);
        return new Outcome(placed, max, pairs(bounded), pairs(leastLoaded), pairs(roundRobin), floor, deepest,
                leastDeepest);
    }

    static String stream(int s) {
        return "live/stream" + s;
    }

    /** Indexes 0..n-1 drawn with P(k) proportional to 1 / (k + 1)^s, by inverting the CDF. */
    static int[] zipf(Random random, int n, double s, int count) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1 / Math.pow(k + 1, s);
            cdf[k] = sum;
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble() * sum;
            int k = 0;
            while (k < n - 1 && u >= cdf[k]) {
                k++;
            }
            out[i] = k;
        }
        return out;
    }

    static List<Set<String>> sets(int n) {
        List<Set<String>> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new HashSet<>());
        }
        return out;
    }

    static int pairs(List<Set<String>> edgesPerStream) {
        return edgesPerStream.stream().mapToInt(Set::size).sum();
    }
}
