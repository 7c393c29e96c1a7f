package dev.cascade.protocol.rtp;

import java.nio.ByteBuffer;

/**
 * The abs-send-time RTP header extension
 * (<a href="http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time">webrtc.org experiment</a>):
 * the sender's clock when the packet left, 24 bits of unsigned 6.18 fixed-point seconds, wrapping
 * every 64 s. Chromium's send-side-free bandwidth estimator (REMB) needs it.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |  ID   | len=2 |              absolute send time               |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                   6 bits seconds . 18 bits fraction
 * </pre>
 *
 * <p>Only differences between values matter to the receiver, so any clock works; the node uses
 * {@link System#nanoTime()}.
 */
public final class AbsSendTime {
    public static final String URI = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /** Data bytes of the element. */
    public static final int SIZE = 3;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int MASK = 0xFFFFFF;

    private AbsSendTime() {}

    /** The 24-bit value for a clock reading in nanoseconds (any origin, negative allowed), rounded to 1/2^18 s. */
    public static int fromNanos(long nanos) {
        long seconds = Math.floorDiv(nanos, NANOS_PER_SECOND);
        long fraction = Math.floorMod(nanos, NANOS_PER_SECOND);
        long value = (seconds << 18) + ((fraction << 18) + NANOS_PER_SECOND / 2) / NANOS_PER_SECOND;
        return (int) (value & MASK);
    }

    /** The value as nanoseconds within its 64-second window, 0 <= result < 64 s. */
    public static long toNanos(int value) {
        return ((value & MASK) * NANOS_PER_SECOND + (1 << 17)) >> 18;
    }

    /**
     * {@code later - earlier} in nanoseconds, taking the shorter way round the 64-second circle:
     * -32 s <= result < 32 s.
     */
    public static long deltaNanos(int later, int earlier) {
        int diff = (later - earlier) & MASK;
        if (diff >= 1 << 23) {
            diff -= 1 << 24;
        }
        return Math.round(diff * (double) NANOS_PER_SECOND / (1 << 18));
    }

    /** Reads the 3-byte value at absolute {@code at}. */
    public static int read(ByteBuffer b, int at) {
        return ((b.get(at) & 0xFF) << 16) | ((b.get(at + 1) & 0xFF) << 8) | (b.get(at + 2) & 0xFF);
    }

    /** Writes the 3-byte value at absolute {@code at}, e.g. over an element found with {@link RtpPacket#findExtension}. */
    public static void write(ByteBuffer b, int at, int value) {
        b.put(at, (byte) (value >> 16));
        b.put(at + 1, (byte) (value >> 8));
        b.put(at + 2, (byte) value);
    }
}
