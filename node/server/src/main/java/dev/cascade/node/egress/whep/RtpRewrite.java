package dev.cascade.node.egress.whep;

/**
 * The per-viewer rewrite of a packet from a stream's shared history: copy it, then set the
 * viewer's negotiated payload type and (video) abs-send-time extension id. Everything else (SSRC,
 * sequence numbers, timestamps) is the stream's and the same for every viewer. The SRTP protect
 * that follows happens in place in {@code dst}.
 */
public final class RtpRewrite {
    private RtpRewrite() {}

    /**
     * @param absSendTimeId the viewer's id for abs-send-time, or -1 to blank the element (id 15,
     *     "stop parsing", RFC 8285 section 4.2) when the viewer did not negotiate it; ignored for audio
     */
    public static void rewrite(byte[] dst, byte[] packet, int length, boolean video, int payloadType, int absSendTimeId) {
        System.arraycopy(packet, 0, dst, 0, length);
        dst[1] = (byte) ((dst[1] & 0x80) | payloadType);
        if (video) {
            // The stream writes exactly one one-byte extension element right after the 4-byte
            // extension header (RFC 8285 4.2): its id is the high nibble of byte 16.
            dst[16] = absSendTimeId > 0 ? (byte) ((absSendTimeId << 4) | (dst[16] & 0x0F)) : (byte) (15 << 4);
        }
    }

    /** Sets a copied packet's sequence number, timestamp and SSRC: an ABR splice's (RFC 3550 section 5.1). */
    public static void stamp(byte[] dst, int seq, int timestamp, int ssrc) {
        dst[2] = (byte) (seq >>> 8);
        dst[3] = (byte) seq;
        dst[4] = (byte) (timestamp >>> 24);
        dst[5] = (byte) (timestamp >>> 16);
        dst[6] = (byte) (timestamp >>> 8);
        dst[7] = (byte) timestamp;
        dst[8] = (byte) (ssrc >>> 24);
        dst[9] = (byte) (ssrc >>> 16);
        dst[10] = (byte) (ssrc >>> 8);
        dst[11] = (byte) ssrc;
    }

    /**
     * Writes a padding-only RTP packet of {@code size} bytes into {@code dst} and returns its length:
     * the 12-byte header with P set, one abs-send-time element (RFC 8285 one-byte form, so the
     * browser's estimator counts the packet), then padding whose last octet is its own count
     * (RFC 3550 section 5.1: at most 255). Without a negotiated abs-send-time id the element is
     * left out: such padding would teach the estimator nothing, but is still valid RTP.
     *
     * @param size the whole packet, 32..255 + header
     */
    public static int padding(byte[] dst, int payloadType, int seq, int timestamp, int ssrc, int absSendTimeId,
                              int absSendTime, int size) {
        int header = absSendTimeId > 0 ? 20 : 12;
        int pad = Math.max(1, Math.min(255, size - header));
        dst[0] = (byte) (0x80 | 0x20 | (absSendTimeId > 0 ? 0x10 : 0));
        dst[1] = (byte) (payloadType & 0x7F);
        stamp(dst, seq, timestamp, ssrc);
        if (absSendTimeId > 0) {
            dst[12] = (byte) 0xBE;
            dst[13] = (byte) 0xDE;
            dst[14] = 0;
            dst[15] = 1;
            dst[16] = (byte) ((absSendTimeId << 4) | 2);
            dst[17] = (byte) (absSendTime >>> 16);
            dst[18] = (byte) (absSendTime >>> 8);
            dst[19] = (byte) absSendTime;
        }
        java.util.Arrays.fill(dst, header, header + pad - 1, (byte) 0);
        dst[header + pad - 1] = (byte) pad;
        return header + pad;
    }
}
