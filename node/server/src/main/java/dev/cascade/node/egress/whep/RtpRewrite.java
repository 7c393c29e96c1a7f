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
}
