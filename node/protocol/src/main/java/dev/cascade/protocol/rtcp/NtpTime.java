package dev.cascade.protocol.rtcp;

/**
 * NTP timestamps as RTCP uses them (RFC 3550 section 4): 64-bit fixed point, seconds since
 * 1900-01-01 in the high 32 bits and the fraction in the low 32; the "compact" middle 32 bits
 * (16.16) go into report blocks as LSR, and DLSR counts 1/65536 s.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            seconds                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            fraction                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                  |<----- compact (LSR) ------>|
 * </pre>
 *
 * <p>The 32-bit seconds wrap in February 2036; like RFC 4330 section 3, a value with the top
 * bit clear is read as after 2036.
 */
public final class NtpTime {
    /** Seconds from 1900-01-01 to 1970-01-01. */
    public static final long UNIX_EPOCH_SECONDS = 2_208_988_800L;
    private static final long NANOS = 1_000_000_000L;

    private NtpTime() {}

    /** The NTP timestamp for Unix time in nanoseconds (e.g. wall clock millis * 1e6), fraction rounded. */
    public static long fromUnixNanos(long unixNanos) {
        long seconds = Math.floorDiv(unixNanos, NANOS) + UNIX_EPOCH_SECONDS;
        long nanos = Math.floorMod(unixNanos, NANOS);
        long fraction = ((nanos << 32) + NANOS / 2) / NANOS;
        return (seconds << 32) + fraction;
    }

    public static long fromUnixMillis(long unixMillis) {
        return fromUnixNanos(Math.multiplyExact(unixMillis, 1_000_000L));
    }

    /** Unix time in nanoseconds for an NTP timestamp (era 0 when the top bit is set, else era 1). */
    public static long toUnixNanos(long ntp) {
        long seconds = ntp >>> 32;
        if ((seconds & 0x8000_0000L) == 0) {
            seconds += 1L << 32;
        }
        long fraction = ntp & 0xFFFF_FFFFL;
        return (seconds - UNIX_EPOCH_SECONDS) * NANOS + ((fraction * NANOS + (1L << 31)) >>> 32);
    }

    /** The middle 32 bits: what a report block's LSR field holds. */
    public static int compact(long ntp) {
        return (int) (ntp >>> 16);
    }

    /** A duration as DLSR units of 1/65536 s (rounded, clamped to 32 bits). */
    public static long toDelayUnits(long nanos) {
        if (nanos >= 65_536L * NANOS) {
            return 0xFFFF_FFFFL;
        }
        long units = (nanos * 65536 + NANOS / 2) / NANOS;
        return Math.max(0, Math.min(units, 0xFFFF_FFFFL));
    }

    /** DLSR-style units of 1/65536 s as nanoseconds. */
    public static long fromDelayUnits(long units) {
        return (units * NANOS + 32768) >> 16;
    }

    /**
     * Round-trip time of RFC 3550 6.4.1: arrival - LSR - DLSR, all compact NTP, in nanoseconds.
     *
     * @param arrivalCompact {@link #compact} of the time the report block arrived
     * @return the RTT, or -1 when the block carries no LSR or the result would be negative
     */
    public static long roundTripNanos(int arrivalCompact, int lastSenderReport, long delaySinceLastSenderReport) {
        if (lastSenderReport == 0) {
            return -1;
        }
        long rtt = ((arrivalCompact - lastSenderReport) & 0xFFFF_FFFFL) - delaySinceLastSenderReport;
        return rtt < 0 || rtt >= 1L << 31 ? -1 : fromDelayUnits(rtt);
    }
}
