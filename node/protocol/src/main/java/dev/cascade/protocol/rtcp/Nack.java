package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Generic NACK, RFC 4585 section 6.2.1: transport-layer feedback (PT 205) with FMT 1, asking the
 * media sender to retransmit (RFC 4588 RTX) the packets it lists.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |   PT=205      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |   one or more FCI entries
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   PID: a lost packet; BLP bit i (LSB = 0) set: PID + i + 1 is lost too
 * </pre>
 */
public record Nack(int senderSsrc, int mediaSsrc, List<Pair> pairs) implements RtcpPacket {
    public static final int FMT = 1;

    /** One FCI entry: {@code pid} and the bitmask of the 16 packets after it, both 16-bit. */
    public record Pair(int pid, int blp) {
        public Pair {
            if (pid < 0 || pid > 0xFFFF || blp < 0 || blp > 0xFFFF) {
                throw new IllegalArgumentException("NACK pair " + pid + "/" + blp);
            }
        }

        /** Calls {@code lost} with PID, then PID + i + 1 for each set bit i, wrapping at 65536. */
        public void forEachLost(IntConsumer lost) {
            lost.accept(pid);
            for (int i = 0; i < 16; i++) {
                if ((blp & (1 << i)) != 0) {
                    lost.accept((pid + i + 1) & 0xFFFF);
                }
            }
        }
    }

    public Nack {
        pairs = List.copyOf(pairs);
        if (pairs.isEmpty() || pairs.size() > 0xFFFF - 2) {
            throw new IllegalArgumentException("NACK needs 1.." + (0xFFFF - 2) + " FCI entries, not " + pairs.size());
        }
    }

    /**
     * The fewest pairs covering {@code lost} sequence numbers, taken in the order given (normally
     * ascending, which may wrap through 65535 to 0): a number within 16 after the current pair's
     * PID sets a bit, anything else starts a new pair. Duplicates are ignored.
     */
    public static Nack of(int senderSsrc, int mediaSsrc, Collection<Integer> lost) {
        List<Pair> pairs = new ArrayList<>();
        int pid = -1;
        int blp = 0;
        for (int s : lost) {
            int seq = s & 0xFFFF;
            if (pid >= 0) {
                int d = (seq - pid) & 0xFFFF;
                if (d == 0) {
                    continue;
                }
                if (d <= 16) {
                    blp |= 1 << (d - 1);
                    continue;
                }
                pairs.add(new Pair(pid, blp));
            }
            pid = seq;
            blp = 0;
        }
        if (pid >= 0) {
            pairs.add(new Pair(pid, blp));
        }
        return new Nack(senderSsrc, mediaSsrc, pairs);
    }

    /** Every sequence number asked for, expanded pair by pair (RFC 4585 6.2.1). */
    public List<Integer> lostSequenceNumbers() {
        List<Integer> out = new ArrayList<>(pairs.size() * 2);
        forEachLost(out::add);
        return out;
    }

    /** {@link #lostSequenceNumbers} without building a list. */
    public void forEachLost(IntConsumer lost) {
        for (Pair p : pairs) {
            p.forEachLost(lost);
        }
    }

    static Nack parse(ByteBuffer b, int p, int end) {
        int fci = end - p - 8;
        if (fci < 4 || fci % 4 != 0) {
            throw new RtcpParseException("generic NACK with " + Math.max(fci, 0) + " FCI bytes");
        }
        List<Pair> pairs = new ArrayList<>(fci / 4);
        for (int q = p + 8; q < end; q += 4) {
            pairs.add(new Pair(b.getShort(q) & 0xFFFF, b.getShort(q + 2) & 0xFFFF));
        }
        return new Nack(b.getInt(p), b.getInt(p + 4), pairs);
    }

    @Override
    public int packetType() {
        return Rtcp.PT_RTPFB;
    }

    @Override
    public int encodedSize() {
        return 12 + 4 * pairs.size();
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Rtcp.writeHeader(out, FMT, Rtcp.PT_RTPFB, encodedSize());
        out.putInt(senderSsrc);
        out.putInt(mediaSsrc);
        for (Pair pair : pairs) {
            out.putShort((short) pair.pid);
            out.putShort((short) pair.blp);
        }
    }
}
