package dev.cascade.manager.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class HashRingProperties {

    @Property(tries = 300)
    void excludingNodesGivesTheAnswerOfTheRingWithoutThem(@ForAll("nodeSets") Set<String> nodes,
                                                          @ForAll("nodeSets") Set<String> excluded,
                                                          @ForAll @IntRange(min = 1, max = 40) int points,
                                                          @ForAll @Size(max = 20) List<String> keys) {
        HashRing ring = HashRing.of(nodes, points);
        List<String> rest = new ArrayList<>(nodes);
        rest.removeAll(excluded);
        HashRing without = HashRing.of(rest, points);
        for (String key : keys) {
            assertThat(ring.first(key, id -> !excluded.contains(id))).isEqualTo(without.first(key, id -> true));
        }
    }

    @Property(tries = 300)
    void aWalkOffersEveryNodeOnceAndTheOrderIsThatOfTheRemainingRings(@ForAll("nodeSets") Set<String> nodes,
                                                                        @ForAll @IntRange(min = 1, max = 40) int points,
                                                                        @ForAll String key) {
        HashRing ring = HashRing.of(nodes, points);
        List<String> order = HashRingTest.preferenceOrder(ring, key);
        assertThat(order).hasSameElementsAs(ring.nodes()).doesNotHaveDuplicates().hasSize(ring.size());
        // The k-th choice is the first choice of the ring without the k-1 before it.
        List<String> rest = new ArrayList<>(ring.nodes());
        for (String expected : order) {
            assertThat(HashRing.of(rest, points).first(key, id -> true)).isEqualTo(expected);
            rest.remove(expected);
        }
    }

    @Property(tries = 1000)
    void stringHashEqualsHashOfItsUtf8Bytes(@ForAll("anyUtf16") String s) {
        assertThat(Hash64.hash(s)).isEqualTo(Hash64.hash(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Any UTF-16 units, unpaired surrogates included, plus some supplementary characters. */
    @Provide
    Arbitrary<String> anyUtf16() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.integers().between(0x10000, 0x10ffff).list().ofMaxSize(5)
                        .map(cps -> new String(cps.stream().mapToInt(Integer::intValue).toArray(), 0, cps.size())));
    }

    @Provide
    Arbitrary<Set<String>> nodeSets() {
        Arbitrary<String> ids = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 30).map(i -> "edge-" + i),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(12));
        return ids.set().ofMaxSize(25).map(TreeSet::new);
    }
}
