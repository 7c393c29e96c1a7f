package dev.cascade.node.egress.whep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResendGuardTest {
    private static final long MS = 1_000_000L;

    @Test
    void aRepeatedNackIsAnsweredOncePerRoundTrip() {
        ResendGuard g = new ResendGuard();
        long rtt = 200 * MS;
        assertThat(g.allow(1000, 0, rtt)).as("first request").isTrue();
        assertThat(g.allow(1000, 20 * MS, rtt)).as("browser repeats after 20 ms: still on its way").isFalse();
        assertThat(g.allow(1000, 199 * MS, rtt)).isFalse();
        assertThat(g.allow(1000, 200 * MS, rtt)).as("a round trip later: lost again, resend").isTrue();
        assertThat(g.allow(1000, 300 * MS, rtt)).as("timed from the last resend").isFalse();
        assertThat(g.allow(1001, 21 * MS, rtt)).as("other numbers are independent").isTrue();
    }

    @Test
    void unknownRoundTripUses100MsAndTheGapIsBounded() {
        ResendGuard g = new ResendGuard();
        assertThat(g.allow(7, 0, -1)).isTrue();
        assertThat(g.allow(7, 99 * MS, -1)).isFalse();
        assertThat(g.allow(7, 100 * MS, -1)).isTrue();
        assertThat(ResendGuard.gap(0)).isEqualTo(10 * MS);
        assertThat(ResendGuard.gap(5_000 * MS)).isEqualTo(1_000 * MS);
    }

    @Test
    void numbersSharingASlotAndWrappingDoNotBlockEachOther() {
        ResendGuard g = new ResendGuard();
        long rtt = 500 * MS;
        assertThat(g.allow(5, 0, rtt)).isTrue();
        assertThat(g.allow(5 + ResendGuard.SIZE, MS, rtt)).as("same slot, other number").isTrue();
        assertThat(g.allow(5, 2 * MS, rtt)).as("its entry was overwritten: one extra resend at worst").isTrue();
        assertThat(g.allow(0xFFFF, 0, rtt)).isTrue();
        assertThat(g.allow(0xFFFF, MS, rtt)).isFalse();
        assertThat(g.allow(0, MS, rtt)).as("65535 + 1 wraps to 0: a different packet").isTrue();
    }
}
