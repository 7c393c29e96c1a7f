package dev.cascade.node.egress.whep.abr;

/**
 * One viewer's video track made of the ladder's variants: packets of whichever variant it currently
 * receives go out under one SSRC, one sequence space and one timestamp line, so the browser sees a
 * single continuous track however often the variant changes.
 *
 * <p>Each variant's packets come with that variant's own sequence numbers and 90 kHz timestamps
 * (RFC 3550 section 5.1, RFC 6184 section 5.1). Within a segment (the stretch sent from one
 * variant) the output is the input plus two offsets fixed at the segment's first packet:
 * {@code seq' = seq + seqOffset (mod 2^16)}, {@code ts' = ts + tsOffset (mod 2^32)}. A variant
 * packetized on this node has no gaps, so the output advances by exactly one per packet.
 * {@link #padding} slips a padding-only packet in (an up-probe): it takes the next output sequence
 * number and moves {@code seqOffset} on by one, so the stream stays gapless. NACKs are mapped back
 * by the caller's {@link SentMap}, which remembers what each output number carried.
 *
 * <p>A switch is armed by {@link #switchTo} and takes effect at the first packet of a keyframe of
 * the target (an IDR access unit's first packet: the decoder needs nothing from before it). Until
 * then the old variant keeps flowing, the target's packets are dropped and {@link #needsKeyframe}
 * tells the caller to ask the target's source for one (PLI). Packets of any other variant are
 * dropped. The new segment's offsets are chosen so its first packet gets
 * {@code lastSeq' + 1} and {@code lastTs' + frame}, where {@code frame} is the difference of the
 * last two distinct input timestamps of the old variant (3000, 30 fps, until known), after which
 * the output follows the new variant's own timestamp differences.
 *
 * <p>Worked example: variant 2 sends seq 65534 at ts 4294965296 and seq 65535 at ts 1000 (one
 * frame, 3000 ticks, across the 32-bit wrap), which go out as seq 100 at ts 7000 and seq 101 at
 * ts 10000. Then variant 1's keyframe starts at seq 20, ts 555000: seqOffset = 102 - 20 = 82 and
 * tsOffset = (10000 + 3000) - 555000, so it goes out as seq 102 at ts 13000, and variant 1's next
 * frame, ts 558000, as ts 16000.
 *
 * <p>One per viewer, owned by the stream's loop thread: plain fields, and the result of each
 * packet is written into a {@link Rewritten} the caller reuses, so nothing is allocated per packet.
 */
public final class Splicer {
    /** One frame at 30 fps on the 90 kHz clock: the step at a switch before a frame rate is known. */
    public static final int DEFAULT_FRAME_TICKS = 3000;
    /** Input timestamp steps above one second are gaps in the source, not a frame duration. */
    static final int MAX_FRAME_TICKS = 90_000;
    /** No variant: before the first switch, and in {@link #pendingLevel()} when none is armed. */
    public static final int NONE = 0;

    /** Where {@link #onPacket} writes a sent packet's new header fields; one per viewer, reused. */
    public static final class Rewritten {
        /** The output sequence number, 0..65535. */
        public int seq;
        /** The output RTP timestamp (unsigned 32 bits in an int). */
        public int timestamp;
        /** This packet is the first of a new segment: the switch took effect on it. */
        public boolean switched;
    }

    private final int ssrc;
    private final int firstSeq;
    private final int firstTimestamp;
    private int current = NONE;
    private int pending = NONE;
    private boolean started;
    private int seqOffset;
    private int tsOffset;
    private int lastOutSeq;
    private int lastOutTs;
    private int lastInTs;
    private int frameTicks = DEFAULT_FRAME_TICKS;
    private long switches;
    private long dropped;

    /**
     * @param ssrc           the output SSRC, the one the viewer's SDP answer announced
     * @param firstSeq       the first output sequence number (random, RFC 3550 section 5.1)
     * @param firstTimestamp the first output timestamp (random, likewise)
     */
    public Splicer(int ssrc, int firstSeq, int firstTimestamp) {
        this.ssrc = ssrc;
        this.firstSeq = firstSeq & 0xFFFF;
        this.firstTimestamp = firstTimestamp;
    }

    /**
     * Arms a switch to {@code level}, replacing any armed before; asking for the current level
     * disarms. The first call picks the first variant: nothing is sent before its first keyframe.
     */
    public void switchTo(int level) {
        if (level <= NONE) {
            throw new IllegalArgumentException("level must be >= 1: " + level);
        }
        pending = level == current ? NONE : level;
    }

    /**
     * Takes one packet of one variant.
     *
     * @param level           the variant it belongs to
     * @param seq             its sequence number in that variant, 0..65535
     * @param timestamp       its RTP timestamp in that variant
     * @param isKeyframeStart it is the first packet of a keyframe
     * @param out             receives the output sequence number and timestamp when it is sent
     * @return whether to send it (with {@code out}'s fields and {@link #ssrc()}); false: drop it
     */
    public boolean onPacket(int level, int seq, int timestamp, boolean isKeyframeStart, Rewritten out) {
        if (pending != NONE && level == pending && isKeyframeStart) {
            int nextSeq = started ? lastOutSeq + 1 : firstSeq;
            int nextTs = started ? lastOutTs + frameTicks : firstTimestamp;
            seqOffset = nextSeq - seq;
            tsOffset = nextTs - timestamp;
            current = level;
            pending = NONE;
            started = true;
            lastInTs = timestamp;
            switches++;
            out.switched = true;
        } else if (level == current && current != NONE) {
            if (timestamp != lastInTs) {
                int step = timestamp - lastInTs;
                if (step > 0 && step <= MAX_FRAME_TICKS) {
                    frameTicks = step;
                }
                lastInTs = timestamp;
            }
            out.switched = false;
        } else {
            dropped++;
            return false;
        }
        lastOutSeq = (seq + seqOffset) & 0xFFFF;
        lastOutTs = timestamp + tsOffset;
        out.seq = lastOutSeq;
        out.timestamp = lastOutTs;
        return true;
    }

    /**
     * Takes the next output sequence number for a padding-only packet (RFC 3550 section 5.1: the
     * P bit; the receiver's bandwidth estimate counts it, its decoder never sees it), stamped with
     * the last media timestamp. Nothing before the first segment: there is no sequence yet.
     *
     * @return whether {@code out} holds a number to send the padding under
     */
    public boolean padding(Rewritten out) {
        if (!started) {
            return false;
        }
        seqOffset++;
        lastOutSeq = (lastOutSeq + 1) & 0xFFFF;
        out.seq = lastOutSeq;
        out.timestamp = lastOutTs;
        out.switched = false;
        return true;
    }

    /** Whether the first segment has begun. */
    public boolean started() {
        return started;
    }

    /**
     * Output minus input timestamp in the current segment: an input (variant) timestamp plus this is
     * where it sits on the viewer's timeline, which is how sender reports place the track.
     */
    public int tsOffset() {
        return tsOffset;
    }

    /** A switch is armed and waits for a keyframe of {@link #pendingLevel()}: ask its source (PLI). */
    public boolean needsKeyframe() {
        return pending != NONE;
    }

    public int ssrc() {
        return ssrc;
    }

    /** The variant being sent, {@link #NONE} before the first keyframe. */
    public int currentLevel() {
        return current;
    }

    /** The variant an armed switch waits for, {@link #NONE} if none. */
    public int pendingLevel() {
        return pending;
    }

    /** The frame duration a switch would step the timestamp by now, in 90 kHz ticks. */
    public int frameTicks() {
        return frameTicks;
    }

    /** Switches that took effect, the first variant's start included. */
    public long switches() {
        return switches;
    }

    /** Packets not sent: of other variants, or of the target before its keyframe. */
    public long dropped() {
        return dropped;
    }
}
