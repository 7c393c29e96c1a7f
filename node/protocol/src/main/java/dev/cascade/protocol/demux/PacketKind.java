package dev.cascade.protocol.demux;

import java.nio.ByteBuffer;

/**
 * What a datagram on the shared WebRTC port is, told from its first byte as RFC 7983 section 7
 * lays out (pion's {@code internal/mux/muxfunc.go} does the same), then RTP from RTCP by the second
 * byte as RFC 5761 section 4 allows:
 *
 * <pre>
 *                  +----------------+
 *                  |        [0..3] -+--&gt; forward to STUN
 *                  |                |
 *                  |      [16..19] -+--&gt; forward to ZRTP
 *                  |                |
 *      packet --&gt;  |      [20..63] -+--&gt; forward to DTLS
 *                  |                |
 *                  |      [64..79] -+--&gt; forward to TURN Channel
 *                  |                |
 *                  |    [128..191] -+--&gt; forward to RTP/RTCP
 *                  +----------------+
 *
 *   RFC 5761 4: RTCP packet types 192..223 (FIR 192 ... SR 200, RR 201, SDES 202, BYE 203,
 *   APP 204, RTPFB 205, PSFB 206, XR 207) collide with no RTP payload type a WebRTC session
 *   uses (RTP payload types 64..95 with the marker bit set would), so a second byte in
 *   192..223 means RTCP, anything else RTP.
 * </pre>
 *
 * No allocation; safe on the per-packet path.
 */
public enum PacketKind {
    STUN,
    ZRTP,
    DTLS,
    TURN_CHANNEL,
    /** First byte 128..191: RTP or RTCP, not yet told apart ({@link #classify(int)} only). */
    RTP_OR_RTCP,
    RTP,
    RTCP,
    /** A first byte no protocol on the port uses (4..15, 80..127, 192..255). */
    UNKNOWN;

    /** The RFC 7983 first-byte table; 128..191 gives {@link #RTP_OR_RTCP}. */
    public static PacketKind classify(int firstByte) {
        int b = firstByte & 0xFF;
        if (b <= 3) {
            return STUN;
        }
        if (b < 16) {
            return UNKNOWN;
        }
        if (b <= 19) {
            return ZRTP;
        }
        if (b <= 63) {
            return DTLS;
        }
        if (b <= 79) {
            return TURN_CHANNEL;
        }
        if (b < 128) {
            return UNKNOWN;
        }
        return b <= 191 ? RTP_OR_RTCP : UNKNOWN;
    }

    /** The full classification: like {@link #classify(int)}, with RTP and RTCP told apart by the second byte. */
    public static PacketKind classify(int firstByte, int secondByte) {
        PacketKind kind = classify(firstByte);
        if (kind != RTP_OR_RTCP) {
            return kind;
        }
        int pt = secondByte & 0xFF;
        return pt >= 192 && pt <= 223 ? RTCP : RTP;
    }

    /**
     * Classifies the datagram {@code b[off, off + len)}: {@link #UNKNOWN} when empty, and when an
     * RTP/RTCP first byte has no second byte.
     */
    public static PacketKind classify(ByteBuffer b, int off, int len) {
        if (len < 1) {
            return UNKNOWN;
        }
        int first = b.get(off);
        PacketKind kind = classify(first);
        if (kind != RTP_OR_RTCP) {
            return kind;
        }
        return len < 2 ? UNKNOWN : classify(first, b.get(off + 1));
    }
}
