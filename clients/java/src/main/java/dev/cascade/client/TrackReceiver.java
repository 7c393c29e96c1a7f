package dev.cascade.client;

/**
 * Receive statistics of one RTP stream, kept the way RFC 3550 appendix A.3 and A.8 say: extended
 * highest sequence number, packets expected versus received (so loss counts packets that never
 * came, and duplicates do not hide it), interarrival jitter. On top of that:
 *
 * <ul>
 *   <li>a ring of the last {@link #WINDOW} sequence numbers, to tell a retransmission that filled
 *       a gap ({@link #recovered}) from a duplicate;</li>
 *   <li>the one-way delay above its minimum: arrival time minus media time, relative to the
 *       smallest seen. It grows when the sender falls behind, whatever the clocks' offset.</li>
 * </ul>
 *
 * Not thread-safe: the peer's loop thread feeds it. No allocation per packet.
 */
public final class TrackReceiver {
    static final int WINDOW = 8192;

    private final int clockRate;
    private final long[] seen = new long[WINDOW / 64];
    private boolean started;
    private long firstExt;
    private long highestExt;
    private int ssrc;

    public long packets;
    public long bytes;
    public long unique;
    public long duplicates;
    public long recovered;
    /** Interarrival jitter in timestamp units (RFC 3550 section 6.4.1, A.8). */
    public double jitter;
    private long prevTransit = Long.MIN_VALUE;
    /** Smallest (arrival - media time) seen, microseconds; the delay baseline. */
    private long minOffsetMicros = Long.MAX_VALUE;
    /** Largest delay above the baseline since {@link #takeMaxDelayMicros()}. */
    private long maxDelayMicros;
    private long lastArrivalNanos;
    /** Extended (unwrapped) timestamp of the newest packet: RTP timestamps wrap at 2^32. */
    private long lastExtTs;
    private boolean tsStarted;

    public TrackReceiver(int clockRate) {
        this.clockRate = clockRate;
    }

    public int ssrc() {
        return ssrc;
    }

    public long expected() {
        return started ? highestExt - firstExt + 1 : 0;
    }

    /** Packets never received (expected minus distinct received); can only be counted once started. */
    public long lost() {
        return Math.max(0, expected() - unique);
    }

    public long extendedHighest() {
        return highestExt;
    }

    public long lastArrivalNanos() {
        return lastArrivalNanos;
    }

    /** The largest delay above the baseline since the last call, in microseconds; resets it. */
    public long takeMaxDelayMicros() {
        long m = maxDelayMicros;
        maxDelayMicros = 0;
        return m;
    }

    /**
     * One packet. Returns the number of sequence numbers skipped before it (a gap, for NACK) when it
     * advances the highest sequence number, 0 when in order, -1 for an old or duplicate packet.
     */
    public int onPacket(int ssrc, int seq16, int timestamp, int length, long arrivalNanos) {
        packets++;
        bytes += length;
        lastArrivalNanos = arrivalNanos;
        if (!started) {
            started = true;
            this.ssrc = ssrc;
            firstExt = seq16;
            highestExt = seq16;
            mark(seq16);
            unique++;
            delay(timestamp, arrivalNanos);
            return 0;
        }
        int delta = (short) (seq16 - (int) (highestExt & 0xFFFF));
        if (delta > 0) {
            for (long s = highestExt + 1; s < highestExt + delta && s - highestExt <= WINDOW; s++) {
                clear(s);
            }
            highestExt += delta;
            mark(highestExt);
            unique++;
            delay(timestamp, arrivalNanos);
            return delta - 1;
        }
        long ext = highestExt + delta;
        if (ext < firstExt || highestExt - ext >= WINDOW || isMarked(ext)) {
            duplicates++;
            return -1;
        }
        mark(ext);
        unique++;
        recovered++;
        return -1;
    }

    /** RFC 3550 A.8 jitter and the delay above baseline, for packets that advance the sequence. */
    private void delay(int timestamp, long arrivalNanos) {
        // Unwrap the 32-bit timestamp: a forward step moves the extended one, a backward one is read relative to it.
        long extTs;
        if (!tsStarted) {
            tsStarted = true;
            lastExtTs = timestamp & 0xFFFFFFFFL;
            extTs = lastExtTs;
        } else {
            int d = timestamp - (int) lastExtTs;
            extTs = lastExtTs + d;
            if (d > 0) {
                lastExtTs = extTs;
            }
        }
        long mediaMicros = extTs * 1_000_000L / clockRate;
        long offset = arrivalNanos / 1000 - mediaMicros;
        if (offset < minOffsetMicros) {
            minOffsetMicros = offset;
        }
        long above = offset - minOffsetMicros;
        if (above > maxDelayMicros) {
            maxDelayMicros = above;
        }
        long transit = arrivalNanos / 1000 * clockRate / 1_000_000L - extTs;
        if (prevTransit != Long.MIN_VALUE) {
            long d = Math.abs(transit - prevTransit);
            jitter += (d - jitter) / 16.0;
        }
        prevTransit = transit;
    }

    private void mark(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        seen[i >>> 6] |= 1L << (i & 63);
    }

    private void clear(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        seen[i >>> 6] &= ~(1L << (i & 63));
    }

    private boolean isMarked(long ext) {
        int i = (int) (ext & (WINDOW - 1));
        return (seen[i >>> 6] & (1L << (i & 63))) != 0;
    }
}
