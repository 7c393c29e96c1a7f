package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Receiver Estimated Maximum Bitrate, draft-alvestrand-rmcat-remb-03 section 2.2: an
 * application-layer feedback message (PT 206, FMT 15) whose FCI starts with "REMB". Chromium
 * sends it when the answer offers {@code goog-remb} and abs-send-time; the edge picks variants from it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| FMT=15  |   PT=206      |             length            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source (always 0)              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Unique identifier 'R' 'E' 'M' 'B'                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Num SSRC     | BR Exp    |  BR Mantissa                      |   bitrate = mantissa * 2^exp bit/s
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   SSRC feedback                                               |   Num SSRC of them
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The record keeps the exponent and mantissa as sent, so decoding and re-encoding is exact;
 * {@link #bitrate} computes the value and {@link #of} picks the encoding.
 *
 * @param exponent 6 bits
 * @param mantissa 18 bits
 * @param ssrcs    the media sources the estimate applies to
 */
public record Remb(int senderSsrc, int exponent, int mantissa, List<Integer> ssrcs) implements RtcpPacket {
    public static final int FMT = 15;
    /** "REMB" in ASCII, the unique identifier starting the FCI. */
    public static final int IDENTIFIER = 0x52454D42;
    private static final int MAX_MANTISSA = 0x3FFFF;

    public Remb {
        ssrcs = List.copyOf(ssrcs);
        if (exponent < 0 || exponent > 63 || mantissa < 0 || mantissa > MAX_MANTISSA || ssrcs.size() > 255) {
            throw new IllegalArgumentException("REMB exponent " + exponent + ", mantissa " + mantissa + ", "
                    + ssrcs.size() + " SSRCs");
        }
    }

    /** The encoding of {@code bitrate} with the smallest exponent; low bits that do not fit are truncated. */
    public static Remb of(int senderSsrc, long bitrate, List<Integer> ssrcs) {
        if (bitrate < 0) {
            throw new IllegalArgumentException("bitrate " + bitrate);
        }
        int exp = 0;
        while ((bitrate >>> exp) > MAX_MANTISSA) {
            exp++;
        }
        return new Remb(senderSsrc, exp, (int) (bitrate >>> exp), ssrcs);
    }

    /** mantissa * 2^exponent in bit/s, saturated at {@link Long#MAX_VALUE}. */
    public long bitrate() {
        if (mantissa == 0) {
            return 0;
        }
        if (exponent > Long.numberOfLeadingZeros(mantissa) - 1) {
            return Long.MAX_VALUE;
        }
        return (long) mantissa << exponent;
    }

    /** Whether an application-layer feedback FCI (after the two SSRCs) is a REMB. */
    static boolean isRemb(ByteBuffer b, int p, int end) {
        return end - p >= 12 && b.getInt(p + 8) == IDENTIFIER;
    }

    static Remb parse(ByteBuffer b, int p, int end) {
        if (end - p < 16) {
            throw new RtcpParseException("REMB truncated");
        }
        int word = b.getInt(p + 12);
        int n = word >>> 24;
        if (end - p != 16 + 4 * n) {
            throw new RtcpParseException("REMB with " + n + " SSRCs in " + (end - p - 16) + " bytes");
        }
        List<Integer> ssrcs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ssrcs.add(b.getInt(p + 16 + 4 * i));
        }
        return new Remb(b.getInt(p), (word >>> 18) & 0x3F, word & MAX_MANTISSA, ssrcs);
    }

    @Override
    public int packetType() {
        return Rtcp.PT_PSFB;
    }

    @Override
    public int encodedSize() {
        return 20 + 4 * ssrcs.size();
    }

    @Override
    public void encodeTo(ByteBuffer out) {
        Rtcp.writeHeader(out, FMT, Rtcp.PT_PSFB, encodedSize());
        out.putInt(senderSsrc);
        out.putInt(0);
        out.putInt(IDENTIFIER);
        out.putInt((ssrcs.size() << 24) | (exponent << 18) | mantissa);
        for (int s : ssrcs) {
            out.putInt(s);
        }
    }
}
