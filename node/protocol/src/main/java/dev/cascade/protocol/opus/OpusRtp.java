package dev.cascade.protocol.opus;

import java.nio.ByteBuffer;

/**
 * Opus over RTP, RFC 7587. The payload is exactly one Opus packet (section 4.2), whatever its
 * frame count, so packetizing an access unit from MPEG-TS is copying it; the RTP clock always
 * runs at 48 kHz whatever the encoder's internal rate (4.1), and the timestamp advances by the
 * packet's duration in 48 kHz samples. The SDP is always {@code opus/48000/2} (7), even for mono.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                timestamp (48 kHz samples)                     |
 *  |           synchronization source (SSRC) identifier            |
 *  +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 *  |  TOC  |  one Opus packet (RFC 6716) ...                       |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class OpusRtp {
    /** RFC 7587 4.1: the RTP clock rate, always. */
    public static final int CLOCK_RATE = 48_000;
    /** RFC 7587 7: the channel count in {@code a=rtpmap}, always 2. */
    public static final int SDP_CHANNELS = 2;
    public static final String ENCODING_NAME = "opus";

    private OpusRtp() {}

    /** 48 kHz samples in {@code micros} microseconds (Opus durations are whole samples: 2.5 ms = 120). */
    public static int samples(int micros) {
        return (int) ((long) micros * CLOCK_RATE / 1_000_000);
    }

    /**
     * RTP timestamp increment after {@code packet} (position to limit, the RTP payload or the TS
     * access unit): its duration in 48 kHz samples, from the TOC and frame count (RFC 6716 3.1-3.2).
     *
     * @throws OpusParseException when the packet is empty or its frame count is invalid
     */
    public static int timestampIncrement(ByteBuffer packet) {
        return samples(checkPayload(packet).packetDurationMicros(packet));
    }

    /**
     * Checks that an RTP payload holds one Opus packet the way RFC 7587 4.2 requires: not empty,
     * with a frame count section 3.4 of RFC 6716 allows. Returns its TOC.
     *
     * @throws OpusParseException otherwise
     */
    public static OpusToc checkPayload(ByteBuffer payload) {
        if (!payload.hasRemaining()) {
            throw new OpusParseException("empty Opus RTP payload");
        }
        OpusToc toc = OpusToc.parse(payload.get(payload.position()));
        toc.frameCount(payload);
        return toc;
    }
}
