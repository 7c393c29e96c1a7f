package dev.cascade.node.egress.whep;

/**
 * Which video packets one viewer was resent lately, so that a lost packet is resent at most once
 * per round trip however often the browser NACKs it.
 *
 * <p>RFC 4585 section 6.2.1 leaves repeats to the sender, and a browser repeats a NACK on its own
 * timer (libwebrtc's NackRequester: every estimated round trip, 100 ms before it has one, up to ten
 * times) while the first resend may still be in the queue of a slow link. Answering each copy puts
 * the same packet on that queue again and again: on an 800 kbit/s link a start with a few dozen
 * losses grew into seconds of NACK storm, each resend pushing out new media. A sender answers the
 * first request at once and a repeat only when a round trip has passed since its last resend, which
 * is what libwebrtc's RtpPacketHistory does (a packet already retransmitted is not sent again
 * before {@code send_time + rtt}).
 *
 * <p>A small table indexed by the low bits of the sequence number, not a map: no allocation per
 * NACK, a few KB per viewer, made only when the viewer first asks for a resend. Two numbers that
 * share a slot just forget each other's time (one extra resend at worst). Loop thread only.
 */
final class ResendGuard {
    static final int SIZE = 256;
    /** The gap before the round trip is known (no receiver report yet), as libwebrtc assumes. */
    static final long DEFAULT_GAP_NANOS = 100_000_000L;
    /** Never less than this between two resends of one packet, whatever the measured round trip. */
    static final long MIN_GAP_NANOS = 10_000_000L;
    /** Nor more: a resend held back past this comes too late for a live picture anyway. */
    static final long MAX_GAP_NANOS = 1_000_000_000L;

    /** Per slot: the sequence number + 1 resent from it (0: none). */
    private final int[] seqs = new int[SIZE];
    private final long[] sentAt = new long[SIZE];

    /**
     * Whether {@code seq16} may be resent at {@code nowNanos}, and if so notes that it is.
     *
     * @param rttNanos the viewer's round trip ({@link WebRtcViewer#rttNanos}), -1 when unknown
     */
    boolean allow(int seq16, long nowNanos, long rttNanos) {
        int i = seq16 & (SIZE - 1);
        if (seqs[i] == seq16 + 1 && nowNanos - sentAt[i] < gap(rttNanos)) {
            return false;
        }
        seqs[i] = seq16 + 1;
        sentAt[i] = nowNanos;
        return true;
    }

    static long gap(long rttNanos) {
        return rttNanos < 0 ? DEFAULT_GAP_NANOS : Math.max(MIN_GAP_NANOS, Math.min(MAX_GAP_NANOS, rttNanos));
    }
}
