package dev.cascade.node.egress.whep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The history ring a NACK is answered from: found by 16-bit sequence number, across wrap-around. */
class RtpTrackTest {

    private static void fill(RtpTrack t, int n) {
        for (int i = 0; i < n; i++) {
            t.commit(100, i * 3000, i);
        }
    }

    @Test
    void findsEveryPacketStillInTheHistoryAndNothingOlder() {
        RtpTrack t = new RtpTrack(true, 90_000, 64);
        fill(t, 200); // 200 packets through a ring of 64: the sequence space is crossed somewhere or not, either way
        for (long ext = 200 - 64; ext < 200; ext++) {
            int slot = t.find(t.seq16(ext));
            assertThat(slot).as("packet %d", ext).isEqualTo(t.slot(ext));
        }
        assertThat(t.find(t.seq16(200 - 65))).as("overwritten").isEqualTo(-1);
        assertThat(t.find(t.seq16(200))).as("not sent yet").isEqualTo(-1);
    }

    @Test
    void sequenceNumbersWrapAt65536AndLookupStillWorks() {
        RtpTrack t = new RtpTrack(true, 90_000, 1024);
        fill(t, 70_000); // always crosses 65535 -> 0
        for (long ext = 70_000 - 1024; ext < 70_000; ext++) {
            assertThat(t.find(t.seq16(ext))).isEqualTo(t.slot(ext));
        }
        assertThat((t.seq16(70_000 - 1) - t.seq16(70_000 - 2)) & 0xFFFF).isEqualTo(1);
        assertThat(t.seq16(65_536)).as("the 16-bit space repeats").isEqualTo(t.seq16(0));
    }

    @Test
    void anEmptyTrackFindsNothing() {
        RtpTrack t = new RtpTrack(false, 48_000, 16);
        assertThat(t.find(0)).isEqualTo(-1);
        assertThat(t.find(t.seq16(0))).isEqualTo(-1);
    }
}
