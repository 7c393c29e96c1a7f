package dev.cascade.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackReceiverTest {
    private static final long MS = 1_000_000L;

    @Test
    void inOrderPacketsAcrossTheSequenceWrapLoseNothing() {
        TrackReceiver t = new TrackReceiver(90_000);
        for (int i = 0; i < 100; i++) {
            assertThat(t.onPacket(1, (65_500 + i) & 0xFFFF, i * 3000, 1000, i * 33 * MS)).isZero();
        }
        assertThat(t.expected()).isEqualTo(100);
        assertThat(t.unique).isEqualTo(100);
        assertThat(t.lost()).isZero();
        assertThat(t.extendedHighest()).isEqualTo(65_500 + 99);
    }

    @Test
    void aGapIsReportedLostUntilItsRetransmissionFillsIt() {
        TrackReceiver t = new TrackReceiver(90_000);
        t.onPacket(1, 10, 0, 100, 0);
        assertThat(t.onPacket(1, 14, 0, 100, MS)).as("three skipped").isEqualTo(3);
        assertThat(t.lost()).isEqualTo(3);
        assertThat(t.onPacket(1, 12, 0, 100, 2 * MS)).isEqualTo(-1);
        assertThat(t.recovered).isEqualTo(1);
        assertThat(t.lost()).isEqualTo(2);
        assertThat(t.onPacket(1, 12, 0, 100, 3 * MS)).isEqualTo(-1);
        assertThat(t.duplicates).isEqualTo(1);
        assertThat(t.lost()).as("a duplicate does not hide loss").isEqualTo(2);
    }

    @Test
    void delayAboveTheBaselineGrowsWhenPacketsComeLate() {
        TrackReceiver t = new TrackReceiver(90_000);
        // 30 fps, on time: media time and arrival advance together.
        for (int i = 0; i < 30; i++) {
            t.onPacket(1, i, i * 3000, 1000, 1_000 * MS + i * 33_333_333L);
        }
        assertThat(t.takeMaxDelayMicros()).isLessThan(1_000);
        // The next frame comes 250 ms late.
        t.onPacket(1, 30, 30 * 3000, 1000, 1_000 * MS + 30 * 33_333_333L + 250 * MS);
        assertThat(t.takeMaxDelayMicros()).isBetween(249_000L, 251_000L);
        assertThat(t.takeMaxDelayMicros()).as("reset by the read").isZero();
    }

    @Test
    void timestampWrapDoesNotLookLikeAJumpInDelay() {
        TrackReceiver t = new TrackReceiver(90_000);
        int ts = -3000 * 5; // wraps past 2^32 after five frames
        for (int i = 0; i < 10; i++) {
            t.onPacket(1, i, ts + i * 3000, 1000, i * 33_333_333L);
        }
        assertThat(t.takeMaxDelayMicros()).isLessThan(1_000);
    }
}
