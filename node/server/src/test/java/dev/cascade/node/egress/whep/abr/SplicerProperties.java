package dev.cascade.node.egress.whep.abr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Whatever the variants send and however often a switch is asked for, the viewer gets one track:
 * sequence numbers exactly consecutive (mod 2^16), timestamps never going back (signed 32-bit
 * difference >= 0) and moving only at a frame's first packet or a switch, every switch taken at
 * the first keyframe start of its target, and nothing of a variant that is not the current one.
 * Padding (up-probes) slipped in anywhere keeps the numbering gapless, and a {@link SentMap} of the
 * output finds, for every number a NACK could still name, the variant packet it carried.
 */
class SplicerProperties {
    private static final int[] FRAME_TICKS = {3000, 3003, 1500, 1800, 3600};

    /** One input packet as a variant's packetizer makes it. */
    record Packet(int level, int seq, int timestamp, boolean frameStart, boolean keyframeStart) {}

    @Property(tries = 1000)
    void outputIsOneContinuousTrack(@ForAll long seed,
                                    @ForAll @IntRange(min = 1, max = 4) int variants,
                                    @ForAll @IntRange(min = 1, max = 300) int frames,
                                    @ForAll @IntRange(min = 0, max = 80) int switchPerMille,
                                    @ForAll @IntRange(min = 0, max = 300) int paddingPerMille) {
        Random random = new Random(seed);
        List<Packet> input = interleave(random, variants, frames);
        int firstSeq = random.nextBoolean() ? 65535 - random.nextInt(50) : random.nextInt(65536);
        int firstTs = random.nextBoolean() ? -1 - random.nextInt(20_000) : random.nextInt();
        Splicer splicer = new Splicer(random.nextInt(), firstSeq, firstTs);
        Splicer.Rewritten out = new Splicer.Rewritten();

        // The model: what the splicer must do, from the specification alone.
        int current = Splicer.NONE;
        int pending = random.nextInt(variants) + 1;
        splicer.switchTo(pending);
        boolean started = false;
        int lastOutSeq = 0;
        int lastOutTs = 0;
        int lastInTs = 0;
        int frame = Splicer.DEFAULT_FRAME_TICKS;
        long emitted = 0;
        SentMap sentMap = new SentMap();
        List<int[]> sentLog = new ArrayList<>(); // {outSeq, level, inSeq, outTs}

        for (Packet p : input) {
            if (random.nextInt(1000) < paddingPerMille) {
                boolean padded = splicer.padding(out);
                assertThat(padded).as("padding once started").isEqualTo(started);
                if (padded) {
                    assertThat(out.seq).as("padding seq after %d", lastOutSeq).isEqualTo((lastOutSeq + 1) & 0xFFFF);
                    assertThat(out.timestamp).as("padding keeps the last timestamp").isEqualTo(lastOutTs);
                    lastOutSeq = out.seq;
                    sentMap.put(out.seq, SentMap.PADDING, 0, out.timestamp);
                    sentLog.add(new int[] {out.seq, SentMap.PADDING, 0, out.timestamp});
                }
            }
            if (random.nextInt(1000) < switchPerMille) {
                int level = random.nextInt(variants) + 1;
                splicer.switchTo(level);
                pending = level == current ? Splicer.NONE : level;
            }
            boolean switching = pending != Splicer.NONE && p.level() == pending && p.keyframeStart();
            boolean expected = switching || (current != Splicer.NONE && p.level() == current);

            boolean sent = splicer.onPacket(p.level(), p.seq(), p.timestamp(), p.keyframeStart(), out);

            assertThat(sent).as("sent %s (current %d, pending %d)", p, current, pending).isEqualTo(expected);
            if (sent) {
                assertThat(out.switched).isEqualTo(switching);
                if (!started) {
                    assertThat(out.seq).isEqualTo(firstSeq);
                    assertThat(out.timestamp).isEqualTo(firstTs);
                } else {
                    assertThat(out.seq).as("seq after %d", lastOutSeq).isEqualTo((lastOutSeq + 1) & 0xFFFF);
                    int step = out.timestamp - lastOutTs;
                    assertThat(step).as("timestamp step").isGreaterThanOrEqualTo(0);
                    if (switching) {
                        assertThat(step).as("step at a switch: one frame of the old variant").isEqualTo(frame);
                    } else {
                        assertThat(step).as("follows the variant").isEqualTo(p.timestamp() - lastInTs);
                        if (step != 0) {
                            assertThat(p.frameStart()).as("timestamp moves only at a frame start").isTrue();
                        }
                    }
                }
                if (switching) {
                    current = pending;
                    pending = Splicer.NONE;
                } else if (p.timestamp() != lastInTs) {
                    int d = p.timestamp() - lastInTs;
                    if (d > 0 && d <= Splicer.MAX_FRAME_TICKS) {
                        frame = d;
                    }
                }
                assertThat(p.level()).isEqualTo(splicer.currentLevel());
                sentMap.put(out.seq, p.level(), p.seq(), out.timestamp);
                sentLog.add(new int[] {out.seq, p.level(), p.seq(), out.timestamp});
                started = true;
                lastOutSeq = out.seq;
                lastOutTs = out.timestamp;
                lastInTs = p.timestamp();
                emitted++;
            }
            assertThat(splicer.currentLevel()).isEqualTo(current);
            assertThat(splicer.pendingLevel()).isEqualTo(pending);
            assertThat(splicer.needsKeyframe()).isEqualTo(pending != Splicer.NONE);
        }
        assertThat(splicer.dropped()).isEqualTo(input.size() - emitted);
        // Every number still in the ring maps back to exactly what it carried; older ones to nothing.
        for (int k = 0; k < sentLog.size(); k++) {
            int[] e = sentLog.get(k);
            int slot = sentMap.find(e[0]);
            if (sentLog.size() - k <= SentMap.SIZE) {
                assertThat(slot).as("seq %d is recent", e[0]).isGreaterThanOrEqualTo(0);
                assertThat(sentMap.level(slot)).isEqualTo(e[1]);
                assertThat(sentMap.inputSeq(slot)).isEqualTo(e[2]);
                assertThat(sentMap.timestamp(slot)).isEqualTo(e[3]);
            }
        }
    }

    /**
     * Each variant's packets, in its own order, merged at random: per variant its own SSRC-like
     * numbering (random start, often just before the 16-bit and 32-bit wraps), frame rate, packets
     * per frame and keyframe positions.
     */
    private static List<Packet> interleave(Random random, int variants, int frames) {
        List<List<Packet>> streams = new ArrayList<>();
        int total = 0;
        for (int level = 1; level <= variants; level++) {
            int seq = random.nextBoolean() ? 65535 - random.nextInt(1000) : random.nextInt(65536);
            int ts = random.nextBoolean() ? -1 - random.nextInt(frames * 3600 + 1) : random.nextInt();
            int ticks = FRAME_TICKS[random.nextInt(FRAME_TICKS.length)];
            int keyframeOdds = 1 + random.nextInt(30);
            List<Packet> stream = new ArrayList<>();
            for (int f = 0; f < frames; f++) {
                boolean keyframe = random.nextInt(keyframeOdds) == 0;
                int packets = 1 + random.nextInt(6);
                for (int k = 0; k < packets; k++) {
                    stream.add(new Packet(level, seq & 0xFFFF, ts, k == 0, keyframe && k == 0));
                    seq++;
                }
                ts += ticks;
            }
            streams.add(stream);
            total += stream.size();
        }
        List<Packet> merged = new ArrayList<>(total);
        int[] next = new int[variants];
        for (int left = total; left > 0; left--) {
            // Pick a variant in proportion to what it has left, so the variants progress together.
            int pick = random.nextInt(left);
            int v = 0;
            while (pick >= streams.get(v).size() - next[v]) {
                pick -= streams.get(v).size() - next[v];
                v++;
            }
            merged.add(streams.get(v).get(next[v]++));
        }
        return merged;
    }
}
