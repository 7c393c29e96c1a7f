package dev.cascade.protocol.opus;

import java.nio.ByteBuffer;

/**
 * The table-of-contents byte that starts every Opus packet, RFC 6716 section 3.1, and the frame
 * count of section 3.2.
 *
 * <pre>
 *   0 1 2 3 4 5 6 7
 *  +-+-+-+-+-+-+-+-+
 *  | config  |s| c |   config: mode, bandwidth, frame size (Table 2); s: stereo; c: frame count code
 *  +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param frameCountCode 0: one frame, 1: two equal frames, 2: two frames, 3: arbitrary count (byte 2)
 */
public record OpusToc(int config, boolean stereo, int frameCountCode) {
    /** R5 of section 3.4: no packet holds more than 120 ms. */
    private static final int MAX_PACKET_MICROS = 120_000;
    private static final int[] SILK_FRAME_MICROS = {10_000, 20_000, 40_000, 60_000};

    public OpusToc {
        if (config < 0 || config > 31 || frameCountCode < 0 || frameCountCode > 3) {
            throw new IllegalArgumentException("config " + config + ", frame count code " + frameCountCode);
        }
    }

    /** Every byte value is a valid TOC; only the low 8 bits of {@code tocByte} are used. */
    public static OpusToc parse(int tocByte) {
        return new OpusToc((tocByte >> 3) & 0x1F, (tocByte & 0x04) != 0, tocByte & 0x03);
    }

    public int toByte() {
        return (config << 3) | (stereo ? 0x04 : 0) | frameCountCode;
    }

    /** Table 2: SILK-only configs 0-11 run 10/20/40/60 ms, hybrid 12-15 10/20 ms, CELT-only 16-31 2.5/5/10/20 ms. */
    public int frameDurationMicros() {
        if (config < 12) {
            return SILK_FRAME_MICROS[config & 3];
        }
        if (config < 16) {
            return (config & 1) == 0 ? 10_000 : 20_000;
        }
        return 2_500 << (config & 3);
    }

    /**
     * Number of frames in {@code packet} (position to limit, starting with this TOC), checking the
     * rules of section 3.4 that the count depends on.
     *
     * @throws OpusParseException for an empty packet (R1), an odd code 1 payload (R3), a code 3
     *     packet without its count byte, with no frames, or longer than 120 ms (R5)
     */
    public int frameCount(ByteBuffer packet) {
        int length = packet.remaining();
        if (length < 1) {
            throw new OpusParseException("empty Opus packet");
        }
        switch (frameCountCode) {
            case 0:
                return 1;
            case 1:
                if ((length - 1) % 2 != 0) {
                    throw new OpusParseException("code 1 Opus packet with an odd payload length");
                }
                return 2;
            case 2:
                if (length < 2) {
                    throw new OpusParseException("code 2 Opus packet without a frame length");
                }
                return 2;
            default:
                if (length < 2) {
                    throw new OpusParseException("code 3 Opus packet without a frame count byte");
                }
                int count = packet.get(packet.position() + 1) & 0x3F;
                if (count == 0 || count * frameDurationMicros() > MAX_PACKET_MICROS) {
                    throw new OpusParseException("code 3 Opus packet with " + count + " frames");
                }
                return count;
        }
    }

    /** Duration of {@code packet} in microseconds: frame count times frame duration. */
    public int packetDurationMicros(ByteBuffer packet) {
        return frameCount(packet) * frameDurationMicros();
    }
}
