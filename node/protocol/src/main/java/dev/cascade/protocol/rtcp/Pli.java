package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;

/**
 * Picture Loss Indication, RFC 4585 section 6.3.1: payload-specific feedback (PT 206) with FMT 1
 * and no FCI. The media sender answers with a keyframe.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|  FMT=1  |   PT=206      |          length=2             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record Pli(int senderSsrc, int mediaSsrc) implements RtcpPacket {
    public static final int FMT = 1;

    static Pli parse(ByteBuffer b, int p, int end) {
        if (end - p != 8) {
            throw new RtcpParseException("PLI of " + (end - p + 4) + " bytes, expected 12");
        }
        return new Pli(b.getInt(p), b.getInt(p + 4));
    }

    @Override
    public int packetType() {
        return Rtcp.PT_PSFB;
    }

    @Override
    public int encodedSize() {
        return 12;
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Rtcp.writeHeader(out, FMT, Rtcp.PT_PSFB, 12);
        out.putInt(senderSsrc);
        out.putInt(mediaSsrc);
    }
}
