package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Full Intra Request, RFC 5104 section 4.3.1: payload-specific feedback (PT 206) with FMT 4. The
 * media source SSRC field is unused (0); each FCI entry names a source and a command sequence
 * number, which the requester increments per new request so repeats are recognised.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=4  |   PT=206      |          length               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (unused, 0)             |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                              SSRC                             |   one or more FCI entries
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | Seq nr.       |    Reserved (0)                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record Fir(int senderSsrc, int mediaSsrc, List<Entry> entries) implements RtcpPacket {
    public static final int FMT = 4;

    /** One FCI entry: the source asked for a keyframe and the 8-bit command sequence number. */
    public record Entry(int ssrc, int sequenceNumber) {
        public Entry {
            if (sequenceNumber < 0 || sequenceNumber > 255) {
                throw new IllegalArgumentException("FIR sequence number " + sequenceNumber);
            }
        }
    }

    public Fir {
        entries = List.copyOf(entries);
        if (entries.isEmpty() || entries.size() > (0xFFFF - 2) / 2) {
            throw new IllegalArgumentException("FIR with " + entries.size() + " entries");
        }
    }

    /** A FIR for one source, media source field 0 as RFC 5104 asks. */
    public static Fir of(int senderSsrc, int mediaSsrc, int sequenceNumber) {
        return new Fir(senderSsrc, 0, List.of(new Entry(mediaSsrc, sequenceNumber & 0xFF)));
    }

    static Fir parse(ByteBuffer b, int p, int end) {
        int fci = end - p - 8;
        if (fci < 8 || fci % 8 != 0) {
            throw new RtcpParseException("FIR with " + Math.max(fci, 0) + " FCI bytes");
        }
        List<Entry> entries = new ArrayList<>(fci / 8);
        for (int q = p + 8; q < end; q += 8) {
            entries.add(new Entry(b.getInt(q), b.get(q + 4) & 0xFF));
        }
        return new Fir(b.getInt(p), b.getInt(p + 4), entries);
    }

    @Override
    public int packetType() {
        return Rtcp.PT_PSFB;
    }

    @Override
    public int encodedSize() {
        return 12 + 8 * entries.size();
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Rtcp.writeHeader(out, FMT, Rtcp.PT_PSFB, encodedSize());
        out.putInt(senderSsrc);
        out.putInt(mediaSsrc);
        for (Entry e : entries) {
            out.putInt(e.ssrc);
            out.putInt(e.sequenceNumber << 24);
        }
    }
}
