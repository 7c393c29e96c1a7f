package dev.cascade.protocol.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NackTest {

    /** RFC 4585 6.2.1: bit i of BLP (LSB first) marks PID + i + 1. Cases from pion's TestNackPair. */
    @Test
    void pairsExpandToSequenceNumbers() {
        assertThat(pair(42, 0)).containsExactly(42);
        assertThat(pair(42, 1)).containsExactly(42, 43);
        assertThat(pair(42, 2)).containsExactly(42, 44);
        assertThat(pair(42, 3)).containsExactly(42, 43, 44);
        assertThat(pair(42, 0x8000)).containsExactly(42, 58);
        assertThat(pair(65535, 0x0003)).containsExactly(65535, 0, 1);
        assertThat(new Nack(1, 2, List.of(new Nack.Pair(0xaaaa, 0x5555))).lostSequenceNumbers())
                .containsExactly(0xaaaa, 0xaaab, 0xaaad, 0xaaaf, 0xaab1, 0xaab3, 0xaab5, 0xaab7, 0xaab9);
    }

    /** The fewest pairs for a list; cases from pion's TestTransportLayerNackPairGeneration. */
    @Test
    void buildsPairsFromLostSequenceNumbers() {
        assertThat(Nack.of(1, 2, List.of(100)).pairs()).containsExactly(new Nack.Pair(100, 0));
        assertThat(Nack.of(1, 2, List.of(100, 101, 105, 115)).pairs()).containsExactly(new Nack.Pair(100, 0x4011));
        assertThat(Nack.of(1, 2, List.of(100, 117, 500, 501, 502)).pairs())
                .containsExactly(new Nack.Pair(100, 0), new Nack.Pair(117, 0), new Nack.Pair(500, 3));
        assertThat(Nack.of(1, 2, List.of(100, 116)).pairs()).containsExactly(new Nack.Pair(100, 0x8000));
        // Across the wrap, and duplicates ignored.
        assertThat(Nack.of(1, 2, List.of(65534, 65535, 65535, 0, 1)).pairs())
                .containsExactly(new Nack.Pair(65534, 0b111));
        assertThat(Nack.of(1, 2, List.of(65536 + 5)).pairs()).containsExactly(new Nack.Pair(5, 0));
        assertThatThrownBy(() -> Nack.of(1, 2, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofThenExpandGivesTheSortedInputBack() {
        List<Integer> lost = List.of(10, 11, 12, 30, 31, 47, 48, 100);
        assertThat(Nack.of(1, 2, lost).lostSequenceNumbers()).isEqualTo(lost);
    }

    private static List<Integer> pair(int pid, int blp) {
        return new Nack(1, 2, List.of(new Nack.Pair(pid, blp))).lostSequenceNumbers();
    }
}
