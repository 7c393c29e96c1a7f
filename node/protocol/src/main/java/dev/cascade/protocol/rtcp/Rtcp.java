package dev.cascade.protocol.rtcp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * RTCP compound packets, RFC 3550 section 6.1: one UDP payload (after SRTCP decryption) holding
 * several RTCP packets back to back, each with the common header drawn on {@link RtcpPacket}.
 *
 * <p>{@link #parseCompound} applies the validity checks of RFC 3550 appendix A.2 that do not
 * depend on the session: version 2 everywhere, length fields that add up to the datagram, padding
 * only on the last packet. It does not insist on an SR/RR first, because reduced-size RTCP
 * (RFC 5506, {@code a=rtcp-rsize}, what Chromium sends) drops that rule. Packet types it does not
 * interpret (APP, XR, transport-cc, other feedback formats) come back as {@link RtcpPacket.Unknown}.
 */
public final class Rtcp {
    public static final int PT_SR = 200;
    public static final int PT_RR = 201;
    public static final int PT_SDES = 202;
    public static final int PT_BYE = 203;
    public static final int PT_APP = 204;
    /** RFC 4585 transport-layer feedback: generic NACK (FMT 1), transport-cc (FMT 15). */
    public static final int PT_RTPFB = 205;
    /** RFC 4585 payload-specific feedback: PLI (FMT 1), FIR (FMT 4), application layer / REMB (FMT 15). */
    public static final int PT_PSFB = 206;
    public static final int PT_XR = 207;

    private Rtcp() {}

    /**
     * Cheap check before parsing: at least a header, version 2, and a packet type in 192..223,
     * the range RFC 5761 section 4 sets apart from RTP payload types on a muxed port.
     */
    public static boolean isRtcp(ByteBuffer b, int off, int len) {
        if (len < 4 || (b.get(off) & 0xC0) != 0x80) {
            return false;
        }
        int pt = b.get(off + 1) & 0xFF;
        return pt >= 192 && pt <= 223;
    }

    /**
     * Parses the compound packet between {@code b}'s position and limit (not moved).
     *
     * @throws RtcpParseException for an empty buffer, a version other than 2, a packet type outside
     *     192..223, a length field that overruns the datagram or leaves a partial header, bad
     *     padding, or a packet whose counts and FCI do not fit its length
     */
    public static List<RtcpPacket> parseCompound(ByteBuffer b) {
        int p = b.position();
        int end = b.limit();
        if (p >= end) {
            throw new RtcpParseException("empty RTCP compound packet");
        }
        List<RtcpPacket> packets = new ArrayList<>(4);
        while (p < end) {
            if (end - p < 4) {
                throw new RtcpParseException("RTCP header truncated at byte " + (p - b.position()));
            }
            int first = b.get(p) & 0xFF;
            if (first >> 6 != 2) {
                throw new RtcpParseException("RTCP version " + (first >> 6));
            }
            int count = first & 0x1F;
            int pt = b.get(p + 1) & 0xFF;
            if (pt < 192 || pt > 223) {
                throw new RtcpParseException("packet type " + pt + " is not RTCP");
            }
            int size = 4 * ((b.getShort(p + 2) & 0xFFFF) + 1);
            if (size > end - p) {
                throw new RtcpParseException("RTCP packet type " + pt + " of " + size + " bytes overruns the "
                        + (end - p) + " left");
            }
            int bodyEnd = p + size;
            if ((first & 0x20) != 0) {
                if (bodyEnd != end) {
                    throw new RtcpParseException("RTCP padding on a packet that is not the last");
                }
                int pad = b.get(bodyEnd - 1) & 0xFF;
                if (pad == 0 || pad > size - 4) {
                    throw new RtcpParseException("RTCP padding count " + pad + " in a packet of " + size + " bytes");
                }
                bodyEnd -= pad;
            }
            packets.add(parseOne(b, p + 4, bodyEnd, pt, count));
            p += size;
        }
        return packets;
    }

    private static RtcpPacket parseOne(ByteBuffer b, int p, int end, int pt, int count) {
        switch (pt) {
            case PT_SR:
                return SenderReport.parse(b, p, end, count);
            case PT_RR:
                return ReceiverReport.parse(b, p, end, count);
            case PT_SDES:
                return SourceDescription.parse(b, p, end, count);
            case PT_BYE:
                return Bye.parse(b, p, end, count);
            case PT_RTPFB:
                requireFeedbackHeader(end - p);
                if (count == Nack.FMT) {
                    return Nack.parse(b, p, end);
                }
                break;
            case PT_PSFB:
                requireFeedbackHeader(end - p);
                if (count == Pli.FMT) {
                    return Pli.parse(b, p, end);
                }
                if (count == Fir.FMT) {
                    return Fir.parse(b, p, end);
                }
                if (count == Remb.FMT && Remb.isRemb(b, p, end)) {
                    return Remb.parse(b, p, end);
                }
                break;
            default:
                break;
        }
        byte[] body = new byte[(end - p + 3) & ~3];
        b.get(p, body, 0, end - p);
        return new RtcpPacket.Unknown(pt, count, body);
    }

    private static void requireFeedbackHeader(int bodyLength) {
        if (bodyLength < 8) {
            throw new RtcpParseException("feedback message without its two SSRCs");
        }
    }

    /** Bytes {@link #encodeCompound} writes. */
    public static int encodedSize(List<? extends RtcpPacket> packets) {
        int n = 0;
        for (RtcpPacket p : packets) {
            n += p.encodedSize();
        }
        return n;
    }

    /** Writes the packets back to back at {@code out}'s position, advancing it; no padding. */
    public static void encodeCompound(List<? extends RtcpPacket> packets, ByteBuffer out) {
        for (RtcpPacket p : packets) {
            p.encodeTo(out);
        }
    }

    /** The packets as one new array. */
    public static byte[] encode(List<? extends RtcpPacket> packets) {
        ByteBuffer out = ByteBuffer.allocate(encodedSize(packets));
        encodeCompound(packets, out);
        return out.array();
    }

    static void writeHeader(ByteBuffer out, int count, int packetType, int size) {
        out.put((byte) (0x80 | count));
        out.put((byte) packetType);
        out.putShort((short) (size / 4 - 1));
    }

    static List<ReportBlock> readBlocks(ByteBuffer b, int p, int count) {
        List<ReportBlock> blocks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blocks.add(ReportBlock.read(b, p + ReportBlock.SIZE * i));
        }
        return blocks;
    }

    static boolean isUnsigned32(long v) {
        return v >= 0 && v <= 0xFFFFFFFFL;
    }

    /** Strict UTF-8 (RFC 3550 6.5: SDES text is UTF-8), so what decodes encodes back to the same bytes. */
    static String utf8(ByteBuffer b, int p, int n, String what) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(b.slice(p, n));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new RtcpParseException(what + " is not UTF-8");
        }
    }
}
