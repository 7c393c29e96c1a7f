package dev.cascade.node.egress.whep.abr;

import java.util.random.RandomGenerator;

/**
 * One viewer's up-probe: finds out, faster than the browser's estimate can say it, whether the
 * viewer's link carries a higher level (docs/abr.md, "Up-probes").
 *
 * <p>Why. A browser's receive-side estimate (REMB; libwebrtc's AimdRateControl) grows by at most 8%
 * a second, and to at most 1.5 x the video it receives. From 500 kbps to the 1.7 Mbps a 1.5 Mbps
 * level needs, that alone is 16 s, whatever the link. The edge cannot make the estimate grow
 * faster: libwebrtc's receive side reads probe clusters only in a call's first two seconds.
 *
 * <p>How. The edge adds RTP padding between the video's frames so that the viewer receives a
 * chosen rate, raised {@link #RAMP} each second, and reads the browser's reaction. The estimate
 * falls, or stops growing, as soon as the browser's delay-based detector sees the link's queue grow
 * (an overuse puts AimdRateControl on hold, and it only decreases, never grows, while the queue
 * keeps growing); a NACK means the queue overflowed. So a second in which the estimate still grew,
 * with no NACK, shows that the rate received in the second before it did not fill the link: that
 * rate is <em>proven</em> (one second late, because the detector needs a few hundred
 * milliseconds). The chooser takes the higher of the estimate and the proven rate; a level the
 * proven rate qualifies for is reached in a few seconds, and the estimate catches up on its own
 * once the viewer receives that level.
 *
 * <p>A probe ends, and the next waits {@code minBackoffMs} doubling to {@code maxBackoffMs} (+-25%
 * at random so viewers who joined together do not probe in step), when the estimate stops growing
 * or falls 3%, or a packet is lost. The rate that last showed growth is remembered: the next probe
 * goes past it by only {@link #CAUTIOUS}, so a link that stays as it was is overrun by a few percent
 * (a little queue, no loss) instead of {@link #RAMP}; once a step past it shows growth, the link got
 * better and the ramp is the full one again.
 *
 * <p>A proof lasts until the estimate reaches it (then the estimate alone speaks), or until the
 * estimate falls or a packet is lost while not probing: the proven rate is then what overran the
 * link. Rates are what the browser's estimator counts: video RTP payload and padding (libwebrtc's
 * Call hands it {@code payload_size() + padding_size()} of video packets), not audio or headers.
 *
 * <p>Pure logic: time and rates come in, the padding rate and the estimate go out. One per viewer,
 * on the node's loop thread; nothing is allocated per call.
 */
public final class UpProbe {

    /** Each second of a probe that showed growth, the rate received goes up by this. */
    public static final double RAMP = 1.25;
    /** Past the rate at which the previous probe last showed growth, steps of this only. */
    public static final double CAUTIOUS = 1.06;
    /**
     * An estimate this much under the one before it is an overuse: libwebrtc lowers its estimate
     * only then (to 0.85 x what it receives), and its REMB sender sends a fall of 3% at once.
     */
    public static final double FALL = 0.97;
    /** A probe aims this far past what the next level needs, so that the rate measured reaches it. */
    public static final double PAST_NEED = 1.05;
    /** Padding never more than this many times the video it rides along. */
    public static final double MAX_PADDING_RATIO = 3.0;
    /**
     * An estimate at least this multiple of what the viewer receives may be held at libwebrtc's
     * cap (1.5 x the received rate, plus 10 kbps): a probe that starts there is not judged in its
     * first second.
     */
    public static final double NEAR_CAP = 1.4;
    /**
     * An estimate that has not gone up for this long is held. Not at once: a browser repeats its
     * latest estimate in every RTCP report it sends (a NACK's too), and libwebrtc's estimate,
     * growing, changes every few hundred milliseconds.
     */
    public static final long HOLD_MS = 800;
    /** How long a probe in doubt waits at a known rate for the estimate to grow again. */
    public static final long DOUBT_MS = 1000;
    /** A fall or loss this soon after a probe ended is the probe's, not the proven rate's. */
    public static final long GRACE_MS = 1500;

    private final long minBackoffMs;
    private final long maxBackoffMs;
    private final RandomGenerator random;

    private boolean probing;
    /** The rate the viewer should receive now (video + padding), bps. */
    private double targetBps;
    /** The rate received in the last second that showed growth, not yet confirmed by the next. */
    private long unconfirmedBps;
    /** What the viewer received before the probe began. */
    private long startBps;
    /** The estimate stopped growing last second: the probe is back at a known rate, one more chance. */
    private boolean doubting;
    private long doubtedMs;
    private long doubtRembBps;
    /** Past the probe's first second, in which it is not judged. */
    private boolean judged;
    private long provenBps;
    /** Where the previous probe last showed growth; 0 when none (or the link got better since). */
    private long failedAtBps;
    private long lastRembBps = -1;
    /** When the estimate last went up. */
    private long lastRiseMs = Long.MIN_VALUE / 2;
    private long rembs;
    private long rembAtTick = -1;
    private long rembsAtTick;
    private long nextProbeMs = Long.MIN_VALUE / 2;
    private long backoffMs;
    private long endedMs = Long.MIN_VALUE / 2;
    private long steps;
    private long failures;

    /**
     * @param minBackoffMs the wait after a failed probe, &gt; 0
     * @param maxBackoffMs the most it doubles to, &gt;= {@code minBackoffMs}
     * @param random       for the +-25% spread of each wait
     */
    public UpProbe(long minBackoffMs, long maxBackoffMs, RandomGenerator random) {
        if (minBackoffMs <= 0 || maxBackoffMs < minBackoffMs) {
            throw new IllegalArgumentException("probe backoff must be 0 < min <= max: " + minBackoffMs + ", " + maxBackoffMs);
        }
        this.minBackoffMs = minBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.backoffMs = minBackoffMs;
        this.random = random;
    }

    /** One REMB from the viewer. */
    public void onRemb(long bps, long nowMs) {
        if (lastRembBps > 0 && bps < lastRembBps * FALL) {
            overuse(nowMs);
        } else if (probing && judged && !doubting
                && (bps < lastRembBps || (bps == lastRembBps && nowMs - lastRiseMs >= HOLD_MS))) {
            doubt(nowMs, bps);
        }
        if (bps > lastRembBps) {
            lastRiseMs = nowMs;
        }
        lastRembBps = bps;
        rembs++;
        if (provenBps > 0 && bps >= provenBps) {
            provenBps = 0; // the estimate says as much by itself now
        }
    }

    /** The viewer reported lost packets (a NACK). */
    public void onLoss(long nowMs) {
        overuse(nowMs);
    }

    private void overuse(long nowMs) {
        if (probing) {
            fail(nowMs);
        } else if (nowMs - endedMs > GRACE_MS) {
            provenBps = 0; // the rate the viewer receives overran the link
        }
    }

    /**
     * Once a second.
     *
     * @param sentBps  the rate the viewer received (video payload and padding) since the previous tick
     * @param videoBps the video alone, same period
     * @param needBps  what the estimate must reach for the next level up; 0 when none can be had now
     */
    public void tick(long nowMs, long sentBps, long videoBps, double needBps) {
        boolean fresh = rembs != rembsAtTick;
        if (needBps <= 0) {
            end(nowMs);
        } else if (probing && !judged) {
            // The first second: no verdict. The estimate sits at its cap, 1.5 x what arrived, and
            // the browser measures what arrives over a second: it cannot have seen the padding yet.
            judged = fresh;
        } else if (probing && doubting) {
            if (lastRembBps > doubtRembBps) {
                // Grew again at the known rate: the hold was a keyframe's queue, not the probe's.
                doubting = false;
                unconfirmedBps = (long) targetBps;
                targetBps = step(targetBps, needBps);
            } else if (nowMs - doubtedMs >= DOUBT_MS) {
                fail(nowMs);
            }
        } else if (probing) {
            if (fresh && lastRembBps > rembAtTick) {
                // Grew: the rate received a second ago did not fill the link's queue.
                steps++;
                provenBps = Math.max(provenBps, unconfirmedBps);
                if (provenBps <= lastRembBps) {
                    provenBps = 0;
                }
                unconfirmedBps = sentBps;
                if (failedAtBps > 0 && sentBps > failedAtBps) {
                    failedAtBps = 0; // past where the previous probe stopped: the link got better
                    backoffMs = minBackoffMs;
                }
                targetBps = step(Math.max(targetBps, sentBps), needBps);
            } else if (fresh && nowMs - lastRiseMs >= HOLD_MS) {
                doubt(nowMs, lastRembBps);
            }
            // No REMB this second: no verdict, the probe holds its rate.
        } else if (nowMs - nextProbeMs >= 0 && lastRembBps > 0) {
            long from = Math.max(Math.max(lastRembBps, videoBps), Math.max(provenBps, sentBps));
            double to = step(from, needBps);
            if (to > from) {
                probing = true;
                // Judged from its first second only if the estimate is clearly under its cap (1.5 x
                // what arrived): at the cap it holds until the browser has measured the padding.
                judged = lastRembBps < NEAR_CAP * sentBps;
                doubting = false;
                unconfirmedBps = sentBps;
                startBps = sentBps;
                targetBps = to;
            }
        }
        rembAtTick = lastRembBps;
        rembsAtTick = rembs;
    }

    /**
     * The estimate held: the browser may have seen the link's queue grow, or only a keyframe's.
     * Back at once to a rate known to pass, so the queue drains; the probe goes on if the estimate
     * grows again within {@link #DOUBT_MS}. A hold past where the previous probe stopped is that
     * link again: the probe ends.
     */
    private void doubt(long nowMs, long bps) {
        if (failedAtBps > 0 && targetBps > failedAtBps) {
            fail(nowMs);
            return;
        }
        doubting = true;
        doubtedMs = nowMs;
        doubtRembBps = bps;
        failedAtBps = Math.max(unconfirmedBps, provenBps); // past it again only cautiously
        targetBps = Math.max(provenBps, startBps);
    }

    private double step(double from, double needBps) {
        double to = from * RAMP;
        if (failedAtBps > 0) {
            to = Math.max(from * CAUTIOUS, Math.min(to, failedAtBps * CAUTIOUS));
        }
        return Math.min(to, needBps * PAST_NEED);
    }

    private void fail(long nowMs) {
        failures++;
        failedAtBps = doubting ? Math.max(provenBps, startBps) : Math.max(unconfirmedBps, provenBps);
        doubting = false;
        end(nowMs);
        nextProbeMs = nowMs + (long) (backoffMs * random.nextDouble(0.75, 1.25));
        backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
    }

    /** Stops probing (no level above can be had now, or the target moved down); the proof stays. */
    public void end(long nowMs) {
        if (probing) {
            probing = false;
            endedMs = nowMs;
        }
        unconfirmedBps = 0;
        targetBps = 0;
    }

    /** The target moved up: the probe worked, the next one after a failure waits the least again. */
    public void upSwitched() {
        backoffMs = minBackoffMs;
    }

    /** The padding to send now, bps: what brings {@code videoBps} to the probe's rate. */
    public double paddingBps(long videoBps) {
        if (!probing || videoBps <= 0 || targetBps <= videoBps) {
            return 0;
        }
        return Math.min(MAX_PADDING_RATIO * videoBps, targetBps - videoBps);
    }

    /** What the chooser goes by: the browser's latest estimate, or the proven rate if higher. */
    public long estimateBps() {
        return Math.max(lastRembBps, provenBps);
    }

    /** Whether the estimate is the proven rate rather than the browser's. */
    public boolean proves() {
        return provenBps > lastRembBps;
    }

    public boolean probing() {
        return probing;
    }

    /** The rate proven above the browser's estimate, bps; 0 when none. */
    public long provenBps() {
        return provenBps;
    }

    public double targetBps() {
        return targetBps;
    }

    /** Seconds of probing that showed growth, and probes that failed, since the viewer joined. */
    public long steps() {
        return steps;
    }

    public long failures() {
        return failures;
    }
}
