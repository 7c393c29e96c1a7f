package dev.cascade.manager.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

class BoundedLoadProperties {

    /** A random cluster: per node a load, a capacity (0 = unlimited) and whether it is eligible. */
    record Cluster(Map<String, Long> load, Map<String, Long> capacity, Set<String> eligible) {}

    /**
     * Whatever the nodes, loads, capacities and eligibility: a chosen node is eligible, below the
     * limit over the eligible nodes (so it carries at most the limit after taking the unit) and
     * below its capacity, and it is the first such node of the key's ring order; null only when no
     * eligible node qualifies.
     */
    @Property(tries = 1000)
    void chosenNodeNeverExceedsTheLimitAndIsTheFirstThatQualifies(@ForAll("clusters") Cluster cluster,
                                                                   @ForAll @DoubleRange(min = 1.0001, max = 3) @Scale(4) double c,
                                                                   @ForAll @IntRange(min = 1, max = 32) int points,
                                                                   @ForAll String key) {
        HashRing ring = HashRing.of(cluster.load().keySet(), points);
        String chosen = BoundedLoad.place(ring, key, cluster.load()::get, cluster.capacity()::get, c,
                cluster.eligible()::contains);

        long total = 0;
        for (String id : cluster.eligible()) {
            total += cluster.load().get(id);
        }
        int eligibleCount = cluster.eligible().size();
        List<String> qualifying = new ArrayList<>();
        for (String id : HashRingTest.preferenceOrder(ring, key)) {
            long l = cluster.load().get(id);
            long cap = cluster.capacity().get(id);
            if (cluster.eligible().contains(id) && l < BoundedLoad.limit(c, total, eligibleCount)
                    && (cap == 0 || l < cap)) {
                qualifying.add(id);
            }
        }
        if (qualifying.isEmpty()) {
            assertThat(chosen).isNull();
        } else {
            assertThat(chosen).isEqualTo(qualifying.get(0));
            assertThat(cluster.load().get(chosen) + 1).isLessThanOrEqualTo(BoundedLoad.limit(c, total, eligibleCount));
        }
        if (!cluster.eligible().isEmpty()
                && cluster.eligible().stream().allMatch(id -> cluster.capacity().get(id) == 0)) {
            // Without capacities someone always has room: the least loaded is below the average.
            assertThat(chosen).isNotNull();
        }
    }

    /**
     * Placing unit after unit from an empty cluster, with keys of any skew: after every placement no
     * node carries more than ceil(c x average), and no placement fails.
     */
    @Property(tries = 200)
    void startingEmptyNoNodeEverGoesAboveCTimesTheAverage(@ForAll @IntRange(min = 1, max = 20) int nodes,
                                                          @ForAll @DoubleRange(min = 1.0001, max = 2) @Scale(4) double c,
                                                          @ForAll("keySequences") List<String> keys) {
        HashRing ring = HashRing.of(HashRingTest.nodes(nodes), 16);
        Map<String, Long> load = new HashMap<>();
        long total = 0;
        for (String key : keys) {
            String chosen = BoundedLoad.place(ring, key, id -> load.getOrDefault(id, 0L), id -> 0, c, id -> true);
            assertThat(chosen).isNotNull();
            load.merge(chosen, 1L, Long::sum);
            total++;
            long bound = BoundedLoad.limit(c, total - 1, nodes);
            assertThat(load.values()).allSatisfy(l -> assertThat(l).isLessThanOrEqualTo(bound));
        }
    }

    @Provide
    Arbitrary<Cluster> clusters() {
        Arbitrary<String> id = Arbitraries.integers().between(0, 40).map(i -> "edge-" + i);
        return id.set().ofMinSize(0).ofMaxSize(25).flatMap(ids -> {
            List<String> list = new ArrayList<>(ids);
            int n = list.size();
            Arbitrary<List<Long>> loads = Arbitraries.oneOf(
                    Arbitraries.longs().between(0, 1_000), Arbitraries.longs().between(0, 10)).list().ofSize(n);
            // Capacities: unlimited (0) half the time.
            Arbitrary<List<Long>> caps = Arbitraries.oneOf(
                    Arbitraries.just(0L), Arbitraries.longs().between(1, 1_000)).list().ofSize(n);
            Arbitrary<List<Boolean>> eligible = Arbitraries.frequency(Tuple.of(4, true), Tuple.of(1, false))
                    .list().ofSize(n);
            return Combinators.combine(loads, caps, eligible).as((l, cp, el) -> {
                Map<String, Long> load = new HashMap<>();
                Map<String, Long> capacity = new HashMap<>();
                Set<String> ok = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    load.put(list.get(i), l.get(i));
                    capacity.put(list.get(i), cp.get(i));
                    if (el.get(i)) {
                        ok.add(list.get(i));
                    }
                }
                return new Cluster(load, capacity, ok);
            });
        });
    }

    /** Up to 300 keys, from "all the same" to many distinct, with a skew towards a few. */
    @Provide
    Arbitrary<List<String>> keySequences() {
        Arbitrary<String> skewed = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0, 2).map(i -> "live/hot" + i)),
                Tuple.of(2, Arbitraries.integers().between(0, 200).map(i -> "live/s" + i)));
        return skewed.list().ofMaxSize(300);
    }
}
