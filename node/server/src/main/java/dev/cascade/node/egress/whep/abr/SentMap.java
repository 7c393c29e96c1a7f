package dev.cascade.node.egress.whep.abr;

/**
 * What each recent output sequence number of a viewer's spliced track carried: the variant and its
 * own sequence number, and the output timestamp. A NACK (RFC 4585 section 6.2.1) names output
 * numbers; this finds the packet to resend in the variant's history and how to stamp it again,
 * across switches and padding alike (padding is remembered as level {@link #PADDING} and not resent:
 * it carried nothing).
 *
 * <p>A ring of the last {@link #SIZE} numbers, indexed by the number itself: the output has no
 * gaps, so slot {@code seq & (SIZE-1)} holds the newest packet with that low part, and a NACK older
 * than the ring finds another number there and gets nothing. Plain arrays, one per viewer, owned
 * by the stream's loop thread; nothing is allocated per packet.
 */
public final class SentMap {
    /** About four seconds of 2.5 Mbps video in 1200-byte packets: longer than any NACK is useful. */
    public static final int SIZE = 1024;
    public static final int PADDING = 0;
    private static final int MASK = SIZE - 1;

    private final int[] outSeqs = new int[SIZE];
    private final int[] levels = new int[SIZE];
    private final int[] inSeqs = new int[SIZE];
    private final int[] timestamps = new int[SIZE];

    public SentMap() {
        java.util.Arrays.fill(outSeqs, -1);
    }

    /** Records that output number {@code outSeq} carried {@code level}'s packet {@code inSeq}. */
    public void put(int outSeq, int level, int inSeq, int outTimestamp) {
        int i = outSeq & MASK;
        outSeqs[i] = outSeq & 0xFFFF;
        levels[i] = level;
        inSeqs[i] = inSeq & 0xFFFF;
        timestamps[i] = outTimestamp;
    }

    /** The slot for {@code outSeq}, or -1 when it is no longer (or never was) in the ring. */
    public int find(int outSeq) {
        int i = outSeq & MASK;
        return outSeqs[i] == (outSeq & 0xFFFF) ? i : -1;
    }

    public int level(int slot) {
        return levels[slot];
    }

    public int inputSeq(int slot) {
        return inSeqs[slot];
    }

    public int timestamp(int slot) {
        return timestamps[slot];
    }
}
