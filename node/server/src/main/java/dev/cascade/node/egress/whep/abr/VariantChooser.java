package dev.cascade.node.egress.whep.abr;

/**
 * One viewer's choice of variant from its REMB estimates (draft-alvestrand-rmcat-remb). Levels are
 * numbered from 1, the highest bitrate, to {@link #levels()}, the lowest, as the ladder's variants
 * {@code _1}, {@code _2}, ... are.
 *
 * <ul>
 *   <li><b>Start</b> at {@link Policy#startLevel()}, usually the lowest, before any estimate.
 *   <li><b>Down fast</b>: as soon as one estimate has {@code bitrate(target) > bps * downThreshold},
 *       go straight to the highest level whose bitrate fits under {@code bps * downThreshold} (the
 *       lowest when none does), several levels at once if need be.
 *   <li><b>Up slowly</b>, one level at a time: only once the estimates have stayed at or above
 *       {@code bitrate(target - 1) * upHeadroom} continuously for {@code upDelayMs}, measured from
 *       the first such estimate; one estimate below resets the wait. After a step up, the wait for
 *       the next level starts at the same estimate if it already qualifies for that level.
 * </ul>
 *
 * <p>The chooser decides the <em>target</em>; the viewer keeps receiving its <em>current</em>
 * variant until the {@link Splicer} finds a keyframe of the target, and the caller then reports
 * that with {@link #switched}. Decisions are made against the target, so a REMB arriving while a
 * switch is pending never asks for the same step twice.
 *
 * <p>Worked example (ladder 4, 2, 1, 0.5 Mbps, start 4, down 0.9, headroom 1.2, delay 4 s): REMB
 * 5 Mbps from t=0 qualifies for level 3 (needs 1.2 Mbps), so level 3 at t=4 s, level 2 (needs
 * 2.4) at 8 s, level 1 (needs 4.8) at 12 s. REMB 2.1 Mbps at 20 s: 4 Mbps > 1.89, so down to
 * level 3 (1 Mbps, the highest under 1.89) at once; REMB 0.8 Mbps at 20.5 s: down to level 4.
 *
 * <p>One per viewer, owned by the stream's loop thread: plain fields, nothing allocated per call.
 */
public final class VariantChooser {

    /** Why the target last changed; the {@code reason} label of {@code abr_switches_total}. */
    public enum Reason {
        START,
        /** An estimate under what the target uses. */
        DOWN_REMB,
        /** The browser's estimate held above the next level's need. */
        UP_REMB_HELD,
        /** A rate the edge's probe proved the link carries ({@link UpProbe}) held above it. */
        UP_PROBED
    }

    /**
     * @param startLevel    the level before any estimate, 1..levels
     * @param downThreshold the share of an estimate the current variant may use, in (0, 1]
     * @param upHeadroom    how far an estimate must exceed the next level's bitrate to count, &gt;= 1
     * @param upDelayMs     how long it must keep doing so, &gt;= 0
     */
    public record Policy(int startLevel, double downThreshold, double upHeadroom, long upDelayMs) {
        public Policy {
            if (startLevel < 1) {
                throw new IllegalArgumentException("abr.startLevel must be >= 1");
            }
            if (!(downThreshold > 0 && downThreshold <= 1)) {
                throw new IllegalArgumentException("abr.downThreshold must be in (0, 1]");
            }
            if (!(upHeadroom >= 1)) {
                throw new IllegalArgumentException("abr.upHeadroom must be >= 1");
            }
            if (upHeadroom * downThreshold < 1) {
                throw new IllegalArgumentException("abr.upHeadroom must be >= 1 / abr.downThreshold, or an up-switch is undone"
                        + " by the next estimate");
            }
            if (upDelayMs < 0) {
                throw new IllegalArgumentException("abr.upDelayMs must be >= 0");
            }
        }

        /** Start at the lowest of {@code levels}, down at 0.9, up with 1.2 headroom held for 4 s. */
        public static Policy defaults(int levels) {
            return new Policy(levels, 0.9, 1.2, 4000);
        }
    }

    private static final long NOT_HELD = Long.MIN_VALUE;

    private final long[] bitrates;
    private final Policy policy;
    private int target;
    private int current;
    private Reason reason = Reason.START;
    private long lastRembBps = -1;
    private long lastRembMillis = NOT_HELD;
    private long upHeldSince = NOT_HELD;
    private long switchCount;

    /**
     * @param bitrates the ladder in bits per second, {@code bitrates[0]} for level 1, strictly
     *     decreasing
     */
    public VariantChooser(long[] bitrates, Policy policy) {
        if (bitrates.length == 0) {
            throw new IllegalArgumentException("abr ladder must have at least one level");
        }
        for (int i = 0; i < bitrates.length; i++) {
            if (bitrates[i] <= 0 || (i > 0 && bitrates[i] >= bitrates[i - 1])) {
                throw new IllegalArgumentException("abr ladder bitrates must be > 0 and strictly decreasing from level 1");
            }
        }
        if (policy.startLevel() > bitrates.length) {
            throw new IllegalArgumentException("abr.startLevel must be <= the ladder's " + bitrates.length + " levels");
        }
        this.bitrates = bitrates.clone();
        this.policy = policy;
        this.target = policy.startLevel();
        this.current = policy.startLevel();
    }

    /**
     * Takes one REMB estimate and returns the level wanted from now on: the target, changed or not.
     *
     * @param bps       the estimate, bits per second
     * @param nowMillis a monotonic clock in milliseconds
     */
    public int onRemb(long bps, long nowMillis) {
        return onEstimate(bps, false, nowMillis);
    }

    /**
     * {@link #onRemb}, for an estimate that may be a rate the edge's probe proved rather than the
     * browser's ({@code probed}): the same rules; a step up it made is {@link Reason#UP_PROBED}.
     */
    public int onEstimate(long bps, boolean probed, long nowMillis) {
        lastRembBps = bps;
        lastRembMillis = nowMillis;
        double budget = bps * policy.downThreshold();
        if (bitrate(target) > budget) {
            upHeldSince = NOT_HELD;
            int to = bitrates.length;
            for (int level = target + 1; level < bitrates.length; level++) {
                if (bitrate(level) <= budget) {
                    to = level;
                    break;
                }
            }
            if (to != target) {
                move(to, Reason.DOWN_REMB);
            }
            return target;
        }
        if (!qualifiesForNext(bps)) {
            upHeldSince = NOT_HELD;
            return target;
        }
        if (upHeldSince == NOT_HELD) {
            upHeldSince = nowMillis;
        }
        if (nowMillis - upHeldSince >= policy.upDelayMs()) {
            move(target - 1, probed ? Reason.UP_PROBED : Reason.UP_REMB_HELD);
            upHeldSince = qualifiesForNext(bps) ? nowMillis : NOT_HELD;
        }
        return target;
    }

    /** The splice to {@code level} took effect: the viewer now receives it. */
    public void switched(int level) {
        if (level < 1 || level > bitrates.length) {
            throw new IllegalArgumentException("level " + level + " is not in 1.." + bitrates.length);
        }
        current = level;
    }

    private boolean qualifiesForNext(long bps) {
        return target > 1 && bps >= bitrate(target - 1) * policy.upHeadroom();
    }

    private void move(int to, Reason why) {
        target = to;
        reason = why;
        switchCount++;
    }

    private long bitrate(int level) {
        return bitrates[level - 1];
    }

    public int levels() {
        return bitrates.length;
    }

    /** The level the viewer receives, as last reported by {@link #switched}; the start level before. */
    public int currentLevel() {
        return current;
    }

    /** The level the chooser wants. */
    public int targetLevel() {
        return target;
    }

    /** Why the target last changed ({@link Reason#START} until it first does). */
    public Reason reason() {
        return reason;
    }

    /** The latest estimate in bits per second (the browser's or a probe's), -1 before the first. */
    public long lastRembBps() {
        return lastRembBps;
    }

    /** When the latest estimate came, {@link Long#MIN_VALUE} before the first. */
    public long lastRembMillis() {
        return lastRembMillis;
    }

    /** How often the target changed (the start is not counted). */
    public long switchCount() {
        return switchCount;
    }
}
