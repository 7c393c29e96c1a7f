package dev.cascade.protocol.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AbsSendTimeTest {
    private static final long S = 1_000_000_000L;

    @Test
    void sixPointEighteenFixedPoint() {
        assertThat(AbsSendTime.fromNanos(0)).isZero();
        assertThat(AbsSendTime.fromNanos(S)).isEqualTo(0x040000);
        assertThat(AbsSendTime.fromNanos(S / 2)).isEqualTo(0x020000);
        assertThat(AbsSendTime.fromNanos(63 * S + S / 4)).isEqualTo((63 << 18) | 0x10000);
        // 64 s wraps to 0; one 2^-18 s tick is about 3815 ns.
        assertThat(AbsSendTime.fromNanos(64 * S)).isZero();
        assertThat(AbsSendTime.fromNanos(3815)).isEqualTo(1);
        assertThat(AbsSendTime.fromNanos(1900)).isZero(); // rounds to nearest
        assertThat(AbsSendTime.fromNanos(64 * S - 1)).isZero(); // rounds up into the wrap
        // nanoTime may be negative: -1 s is 63 s on the circle.
        assertThat(AbsSendTime.fromNanos(-S)).isEqualTo(63 << 18);
        // A large nanoTime value does not overflow.
        long big = 9_000_000_000_000_000_000L;
        assertThat(AbsSendTime.fromNanos(big)).isEqualTo(AbsSendTime.fromNanos(big % (64 * S)));
    }

    @Test
    void backToNanos() {
        assertThat(AbsSendTime.toNanos(0x040000)).isEqualTo(S);
        assertThat(AbsSendTime.toNanos(0xFFFFFF)).isBetween(64 * S - 3815, 64 * S);
        for (long n : new long[] {0, 1_234_567, 17 * S + 999_999_999L, 63 * S}) {
            assertThat(Math.abs(AbsSendTime.toNanos(AbsSendTime.fromNanos(n)) - n)).isLessThanOrEqualTo(1908);
        }
    }

    @Test
    void deltaTakesTheShortWayAroundTheCircle() {
        int early = AbsSendTime.fromNanos(63 * S);
        int late = AbsSendTime.fromNanos(65 * S); // wrapped to 1 s
        assertThat(AbsSendTime.deltaNanos(late, early)).isEqualTo(2 * S);
        assertThat(AbsSendTime.deltaNanos(early, late)).isEqualTo(-2 * S);
        assertThat(AbsSendTime.deltaNanos(0x000100, 0x000100)).isZero();
        assertThat(AbsSendTime.deltaNanos(1, 0)).isEqualTo(3815);
    }

    @Test
    void readsAndWritesThreeBytes() {
        ByteBuffer b = ByteBuffer.allocate(5);
        AbsSendTime.write(b, 1, 0xfedcba);
        assertThat(b.array()).containsExactly(0, 0xfe, 0xdc, 0xba, 0);
        assertThat(AbsSendTime.read(b, 1)).isEqualTo(0xfedcba);
    }
}
