package dev.cascade.node.egress.whep;

import dev.cascade.node.egress.whep.abr.AbrLadder;
import dev.cascade.node.egress.whep.abr.SentMap;
import dev.cascade.node.egress.whep.abr.Splicer;
import dev.cascade.node.egress.whep.abr.UpProbe;
import dev.cascade.node.egress.whep.abr.VariantChooser;
import dev.cascade.node.webrtc.UdpBatch;
import dev.cascade.protocol.rtcp.Nack;
import dev.cascade.protocol.rtp.AbsSendTime;
import dev.cascade.protocol.rtp.RtpPacket;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One WHEP viewer's ABR: which of its stream's variants it receives, and the splice that makes them
 * one video track (docs/abr.md). Wires the pure parts ({@link VariantChooser}, {@link Splicer},
 * {@link SentMap}) to the node's outputs:
 *
 * <ul>
 *   <li>Its audio, and its sender reports, come from the stream's own output (the "source"), which
 *       it joins as an ordinary viewer. Its video comes from whichever outputs it taps: the variant
 *       {@code NAME_n} it receives and, during a switch, the one it waits for. Variants are pulled
 *       from upstream like any stream, and only while someone taps them.</li>
 *   <li>The source is also a level of the splice ({@link #sourceLevel}, one past the ladder's
 *       lowest): it is what the viewer falls back to when a variant cannot be had (no transcoder
 *       yet, or it died), so a viewer of a stream with a ladder never stops because the ladder
 *       did. Every {@code abr.retryMs} the variant is tried again.</li>
 *   <li>Each REMB goes to the chooser; a new target is armed on the splice, which switches at the
 *       target's next keyframe. The variants share a keyframe grid (the transcoder forces it), so a
 *       switch waits at most one GOP; nothing can ask the transcoder for an earlier one.</li>
 *   <li>Up-probes ({@link UpProbe}): a browser's estimate grows 8% a second at best, so while a
 *       higher level is possible the edge pads what the viewer receives up 25% a second and reads
 *       the estimate's reaction; a rate the link carried with the estimate still growing counts
 *       as an estimate of its own, and the chooser goes by the higher of the two.</li>
 * </ul>
 *
 * <p>Everything runs on the node's loop thread, which owns every output; per packet it reads the
 * packet's sequence number and timestamp, asks the splice, and sends: nothing is allocated.
 */
public final class AbrViewer {

    /** What the viewer's node does for it: outputs of variants, and telling about switches. */
    interface Host {
        /** The variant's output, its pull started if need be; null when it cannot be made now. */
        WebRtcStreamOut variantOut(String streamKey);

        /** This viewer no longer taps {@code out} (already removed): the node may let it go. */
        void release(WebRtcStreamOut out);

        /** A switch took effect (or the first variant started): log, count, tell the player. */
        void switched(AbrViewer viewer, String reason);
    }

    /** Why the viewer's variant changed: the {@code reason} label of {@code cascade_abr_switches}. */
    static final String START = "start";
    static final String FALLBACK_SOURCE = "fallback_source";
    static final String LADDER_BACK = "ladder_back";

    /**
     * A start or fall-back replays the cached GOP only when its keyframe is at most this old (90 kHz
     * ticks, 100 ms: the keyframe and two or three frames), else waits for the next keyframe: see {@link WebRtcStreamOut#replayKeyframe}.
     * Up to a GOP (1 s from the transcoder) later to the first picture, against a burst of most of a
     * GOP into a link the viewer has not measured yet.
     */
    static final int MAX_REPLAY_AGE_90K = 90_000 / 10;
    /**
     * The level above the target is pulled ahead of a switch once an estimate reaches this share of
     * what the chooser needs for it: at 8% a second, about two seconds before the chooser's hold can
     * begin, which is what a pull through a relay takes to deliver live video ({@link #warm}).
     */
    static final double WARM_AT = 0.85;
    /** ... and let go when an estimate falls under this share. */
    static final double UNWARM_AT = 0.75;
    /** A viewer whose first variant has not started within this falls back to the source. */
    static final long START_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(2500);
    /** A variant that has sent the viewer nothing for this long has stopped: fall back to the source. */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    /** Padding packet size: RTP padding is at most 255 octets (RFC 3550 section 5.1). */
    static final int PADDING_SIZE = 240;
    /** A frame end pads for at most this long since the previous one (a stream that paused). */
    static final long MAX_PADDING_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Padding packets after one frame at most. */
    static final int MAX_PADDING_BURST = 24;

    private final WebRtcViewer viewer;
    private final WebRtcStreamOut source;
    private final AbrLadder ladder;
    private final VariantChooser chooser;
    /**
     * Per level (index 0 = level 1), its video bitrate: what the estimate is compared with. A
     * browser's receive-side estimate counts video RTP payload and padding only, no headers and no
     * audio (libwebrtc's Call hands the estimator {@code payload_size() + padding_size()} of video
     * packets): it is the rate the video may have next to whatever else the link carries.
     */
    private final long[] videoLevelBps;
    private final Splicer splicer;
    private final Splicer.Rewritten rewritten = new Splicer.Rewritten();
    private final SentMap sent = new SentMap();
    /** Tapped outputs by level, 1..n; null where not tapped. */
    private final WebRtcStreamOut[] outs;
    /** Per level, when a variant that could not be had may be tried again ({@link System#nanoTime}). */
    private final long[] retryAt;
    private final int sourceLevel;
    private final Host host;
    private final long retryNanos;
    /** Null when probes are off ({@code abr.probe: false}). */
    private final UpProbe probe;
    /** The level the splice was last asked for (a variant, or {@link #sourceLevel}); 0 before start. */
    private int wanted;
    /** The level above the target, tapped ahead of a switch to it ({@link #warm}); 0 when none. */
    private int warm;
    private String reason = START;
    /** The browser's latest estimate, bps; -1 before the first. */
    private long lastRembBps = -1;
    private long startedAt;
    private boolean closed;

    // Up-probe state (loop thread).
    /** The padding sent now, bits per second of RTP payload; 0 when not probing. */
    private double paddingBps;
    private double paddingCredit;
    private long lastTickNanos;
    private long videoBps;
    private long videoOctets;
    private long paddingOctets;
    private long lastVideoOctets;
    private long lastSentOctets;
    /** When the previous frame's last packet came: a frame end pads for the time since. */
    private long lastFrameEndNanos;

    /** Read by the HTTP API (a little stale is fine). */
    private volatile int reportedLevel = -1;

    AbrViewer(WebRtcViewer viewer, WebRtcStreamOut source, AbrLadder ladder, Splicer splicer, Host host,
              long retryMs, boolean probe, long probeMinMs, long probeMaxMs) {
        this.viewer = viewer;
        this.source = source;
        this.ladder = ladder;
        this.videoLevelBps = ladder.bitrates();
        this.chooser = new VariantChooser(videoLevelBps, ladder.policy());
        this.splicer = splicer;
        this.host = host;
        this.outs = new WebRtcStreamOut[ladder.size() + 1];
        this.retryAt = new long[ladder.size() + 2];
        this.sourceLevel = ladder.size() + 1;
        this.retryNanos = TimeUnit.MILLISECONDS.toNanos(retryMs);
        this.probe = probe ? new UpProbe(probeMinMs, probeMaxMs, ThreadLocalRandom.current()) : null;
    }

    // ---------------------------------------------------------------- lifecycle (loop thread)

    /** The viewer joined its source output: tap the start level, starting from its cache if it has one. */
    void start() {
        startedAt = System.nanoTime();
        lastTickNanos = startedAt;
        apply();
        WebRtcStreamOut first = wanted == sourceLevel ? source : outs[wanted];
        if (first != null) {
            first.replayKeyframe(this, MAX_REPLAY_AGE_90K);
        }
    }

    /** The viewer left: let go of every variant. */
    void close() {
        closed = true;
        for (int level = 1; level < outs.length; level++) {
            untap(level);
        }
    }

    /** A tapped variant's output closed (its stream ended, or could not be pulled). */
    void variantGone(WebRtcStreamOut out) {
        for (int level = 1; level < outs.length; level++) {
            if (outs[level] == out) {
                outs[level] = null;
                retryAt[level] = System.nanoTime() + retryNanos;
                if (warm == level) {
                    warm = 0;
                }
                if (wanted == level) {
                    reason = FALLBACK_SOURCE;
                    apply();
                }
            }
        }
    }

    // ---------------------------------------------------------------- packets (loop thread)

    /** One video packet of {@code out}, the source or a tapped variant. */
    void onVideo(WebRtcStreamOut out, int slot, boolean keyframeStart, UdpBatch batch) {
        int level = levelOf(out);
        if (level == 0 || closed || (level == warm && level != wanted)) {
            return; // a warm level only waits, its packets are not the splice's to drop
        }
        RtpTrack track = out.video;
        byte[] p = track.slots[slot];
        int seq = RtpPacket.sequenceNumber(track.buffers[slot], 0);
        int ts = RtpPacket.timestamp(track.buffers[slot], 0);
        Splicer.Rewritten rw = rewritten;
        if (!splicer.onPacket(level, seq, ts, keyframeStart, rw)) {
            return;
        }
        viewer.sendSpliced(track, slot, rw.seq, rw.timestamp, splicer.ssrc(), batch, false);
        sent.put(rw.seq, level, seq, rw.timestamp);
        if (rw.switched) {
            switched(level);
        }
        int length = track.lengths[slot];
        videoOctets += length;
        // Padding only between frames, after a frame's last packet (the marker bit, RFC 6184 section
        // 5.1): the browser assembles a frame from consecutive sequence numbers, and a padding packet
        // inside one would leave it incomplete.
        if ((p[1] & 0x80) != 0) {
            // Credit in proportion to the time since the previous frame, not to the frame's size:
            // padding at a keyframe's share would add to the one burst a link's queue already feels.
            long wall = track.lastWallNanos;
            long gap = Math.min(wall - lastFrameEndNanos, MAX_PADDING_GAP_NANOS);
            lastFrameEndNanos = wall;
            if (paddingBps > 0 && gap > 0) {
                paddingCredit = Math.min(paddingCredit + paddingBps * (gap / 8e9), MAX_PADDING_BURST * PADDING_SIZE);
            }
            int sendTime = paddingCredit >= PADDING_SIZE ? AbsSendTime.fromNanos(track.lastWallNanos) : 0;
            while (paddingCredit >= PADDING_SIZE && splicer.padding(rw)) {
                paddingCredit -= PADDING_SIZE;
                paddingOctets += PADDING_SIZE;
                viewer.sendPadding(rw.seq, rw.timestamp, splicer.ssrc(), sendTime, PADDING_SIZE, batch);
                sent.put(rw.seq, SentMap.PADDING, 0, rw.timestamp);
            }
        }
    }

    /** A NACK for the spliced track: resend what each named number carried, stamped as it was. */
    void retransmit(Nack nack) {
        if (probe != null) {
            // Loss: while probing, the padding filled the link's queue; stop at once, before the
            // estimate says so (it lags), so that the resends find room. Otherwise a proven rate
            // overran the link: it no longer counts.
            long nowMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
            long before = probe.estimateBps();
            probe.onLoss(nowMs);
            updatePadding();
            if (probe.estimateBps() != before) {
                decide(nowMs);
            }
        }
        nack.forEachLost(seq16 -> {
            int at = sent.find(seq16);
            if (at < 0) {
                return;
            }
            int level = sent.level(at);
            WebRtcStreamOut out = level == sourceLevel ? source : level >= 1 && level < outs.length ? outs[level] : null;
            if (out == null) {
                return;
            }
            int slot = out.video.find(sent.inputSeq(at));
            if (slot >= 0) {
                viewer.sendSpliced(out.video, slot, seq16, sent.timestamp(at), splicer.ssrc(), source.batch(), true);
            }
        });
        source.batch().flush();
    }

    private int levelOf(WebRtcStreamOut out) {
        if (out == source) {
            return sourceLevel;
        }
        for (int level = 1; level < outs.length; level++) {
            if (outs[level] == out) {
                return level;
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- decisions (loop thread)

    /** One REMB from the viewer. */
    void onRemb(long bps) {
        long nowMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
        lastRembBps = bps;
        if (probe != null) {
            probe.onRemb(bps, nowMs);
            updatePadding();
        }
        decide(nowMs);
    }

    /** The chooser takes the estimate (the browser's, or a rate the probe proved if higher). */
    private void decide(long nowMs) {
        long estimate = probe == null ? lastRembBps : probe.estimateBps();
        if (estimate <= 0) {
            return;
        }
        int before = chooser.targetLevel();
        int target = chooser.onEstimate(estimate, probe != null && probe.proves(), nowMs);
        warm(target, estimate);
        if (target != before) {
            reason = chooser.reason().name().toLowerCase(Locale.ROOT);
            if (probe != null) {
                if (target < before) {
                    // The probe goes on, now toward the level above the new target, while the
                    // switch waits for a keyframe.
                    probe.upSwitched();
                } else {
                    probe.end(nowMs);
                    updatePadding();
                }
            }
            apply();
        }
    }

    /**
     * Asks the splice for what should play now: the chooser's target if it can be had, else the
     * source. Taps the output it needs; lets go of outputs no longer current or wanted.
     */
    private void apply() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        int target = chooser.targetLevel();
        int desired = now - retryAt[target] >= 0 && tap(target) ? target : sourceLevel;
        if (desired != wanted) {
            wanted = desired;
            splicer.switchTo(desired);
            if (!splicer.started() && desired == sourceLevel) {
                source.replayKeyframe(this, MAX_REPLAY_AGE_90K);
            }
        }
        releaseUnused();
    }

    /**
     * Taps the level above the target once the estimate nears what it needs ({@link #WARM_AT}), so
     * that by the time the chooser moves to it its pull from upstream (through the relays, which
     * may not have it either) has started and its catch-up burst has passed
     * ({@link WebRtcStreamOut#CATCH_UP_NANOS}): the switch then waits only for its next keyframe.
     * Let go when the estimate falls back ({@link #UNWARM_AT}) or the target moves down.
     */
    private void warm(int target, long bps) {
        int level = 0;
        if (target > 1) {
            level = bps >= upNeedBps(target) * (warm == target - 1 ? UNWARM_AT : WARM_AT) ? target - 1 : 0;
        }
        if (level == warm) {
            return;
        }
        warm = level != 0 && System.nanoTime() - retryAt[level] >= 0 && tap(level) ? level : 0;
        releaseUnused();
    }

    /** The estimate the chooser needs to step up from {@code target} (&gt; 1): the next level's video x headroom. */
    private double upNeedBps(int target) {
        return videoLevelBps[target - 2] * ladder.policy().upHeadroom();
    }

    private boolean tap(int level) {
        if (outs[level] != null) {
            return true;
        }
        WebRtcStreamOut out = host.variantOut(ladder.variantKey(level));
        if (out == null) {
            retryAt[level] = System.nanoTime() + retryNanos;
            return false;
        }
        outs[level] = out;
        out.addTap(this);
        return true;
    }

    private void untap(int level) {
        WebRtcStreamOut out = outs[level];
        if (out != null) {
            outs[level] = null;
            out.removeTap(this);
            host.release(out);
        }
    }

    private void releaseUnused() {
        int current = splicer.currentLevel();
        for (int level = 1; level < outs.length; level++) {
            if (level != current && level != wanted && level != warm) {
                untap(level);
            }
        }
    }

    private void switched(int level) {
        if (level != sourceLevel) {
            chooser.switched(level);
        }
        reportedLevel = level == sourceLevel ? 0 : level;
        if (probe != null) {
            updatePadding(); // on the level it now receives
        }
        releaseUnused();
        host.switched(this, reason);
    }

    /** Once a second: retry a variant, give up waiting for a first one, run the up-probe. */
    void tick(long nowNanos) {
        if (closed) {
            return;
        }
        long nowMs = TimeUnit.NANOSECONDS.toMillis(nowNanos);
        if (wanted == sourceLevel && nowNanos - retryAt[chooser.targetLevel()] >= 0) {
            reason = LADDER_BACK;
            apply();
        } else if (stalled(nowNanos)) {
            // The variant stopped without ending (its transcoder died and the origin keeps the stream
            // for the publisher's return): the source meanwhile, the variant again after abr.retryMs.
            retryAt[splicer.currentLevel()] = nowNanos + retryNanos;
            reason = FALLBACK_SOURCE;
            apply();
        } else if (!splicer.started() && wanted != sourceLevel && nowNanos - startedAt > START_WAIT_NANOS) {
            retryAt[wanted] = nowNanos + retryNanos;
            reason = FALLBACK_SOURCE;
            apply();
        }
        double seconds = Math.max(0.2, (nowNanos - lastTickNanos) / 1e9);
        long sentOctets = videoOctets + paddingOctets;
        long sentBps = (long) ((sentOctets - lastSentOctets) * 8 / seconds);
        videoBps = (long) ((videoOctets - lastVideoOctets) * 8 / seconds);
        lastVideoOctets = videoOctets;
        lastSentOctets = sentOctets;
        lastTickNanos = nowNanos;
        if (probe != null) {
            long before = probe.estimateBps();
            probe.tick(nowMs, sentBps, videoBps, probeNeedBps());
            updatePadding();
            if (probe.estimateBps() != before) {
                decide(nowMs);
            }
        }
    }

    /**
     * The padding the probe wants now; none, and no credit left over from before, when it stopped
     * (a probe ended by a loss must not send one more burst at the next frame end).
     */
    private void updatePadding() {
        paddingBps = probe.paddingBps(paddedVideoBps());
        if (paddingBps <= 0) {
            paddingCredit = 0;
        }
    }

    /**
     * The video rate the padding adds to: the last second's, or the level the viewer receives if
     * that is more (just after a switch up, the last second measured the level below: padding on
     * it would overshoot the probe's rate by the difference).
     */
    private long paddedVideoBps() {
        int current = splicer.currentLevel();
        return current >= 1 && current <= videoLevelBps.length ? Math.max(videoBps, videoLevelBps[current - 1]) : videoBps;
    }

    /**
     * What a probe works toward: the next level's need, once the viewer receives its target and
     * a level above it exists (during a switch up, the one above the new target); 0 when none.
     */
    private double probeNeedBps() {
        int target = chooser.targetLevel();
        int current = splicer.currentLevel();
        boolean possible = splicer.started() && target > 1 && wanted == target
                && current >= target && current != sourceLevel && lastRembBps > 0;
        return possible ? upNeedBps(target) : 0;
    }

    /**
     * The variant the viewer receives has made no packet for {@link #STALL_NANOS}: its output's
     * newest packet says so, nothing is kept per packet for it.
     */
    private boolean stalled(long nowNanos) {
        int current = splicer.currentLevel();
        if (!splicer.started() || current == sourceLevel || current < 1 || current >= outs.length) {
            return false;
        }
        WebRtcStreamOut out = outs[current];
        return out != null && nowNanos - out.video.lastWallNanos > STALL_NANOS; // a closed one: variantGone
    }

    // ---------------------------------------------------------------- reports

    boolean started() {
        return splicer.started();
    }

    /**
     * The spliced video's RTP timestamp for the wall-clock instant {@code nowNanos}: the stream's
     * own clock (its newest PES timestamp, run on by the time since) moved by the splice's offset.
     * The transcoder keeps the source's timestamps ({@code -copyts}), so a variant's frame and the
     * source's audio of the same instant get the same wall time in the sender reports and the browser
     * plays them together, although the variant arrives later by the transcoder's delay.
     */
    int videoRtpAt(long nowNanos) {
        long pts = source.lastPts;
        if (pts == Long.MIN_VALUE) {
            return 0;
        }
        long since = (nowNanos - source.lastPtsWallNanos) * 90_000L / 1_000_000_000L;
        return (int) (pts + since) + splicer.tsOffset();
    }

    public AbrLadder ladder() {
        return ladder;
    }

    /** The variant the viewer receives: 1..n, 0 for the source, -1 before anything. */
    public int level() {
        return reportedLevel;
    }

    /** The level the chooser wants now. */
    public int targetLevel() {
        return chooser.targetLevel();
    }

    public String reason() {
        return reason;
    }

    public long switches() {
        return splicer.switches();
    }

    /** The browser's latest estimate, bps; -1 before the first. */
    public long lastRembBps() {
        return lastRembBps;
    }

    /** What the chooser goes by: the browser's estimate, or the rate a probe proved if higher. */
    public long estimateBps() {
        return probe == null ? lastRembBps : probe.estimateBps();
    }

    /** Whether padding is being sent to probe for a higher level now. */
    public boolean probingNow() {
        return paddingBps > 0;
    }

    /** The probe's rate now (video and padding), bps; 0 when not probing. */
    public long probeTargetBps() {
        return probe == null ? 0 : (long) probe.targetBps();
    }

    public WebRtcViewer viewer() {
        return viewer;
    }
}
