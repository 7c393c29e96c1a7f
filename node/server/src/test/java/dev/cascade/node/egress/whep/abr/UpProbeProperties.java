package dev.cascade.node.egress.whep.abr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The up-probe against a model of a link and of libwebrtc's receive-side estimate: each second the
 * viewer receives its video and the probe's padding; what exceeds the link's capacity is an
 * overuse (the estimate holds, or falls to 0.85 x the capacity), and 15% past it also loss (a
 * NACK); otherwise the estimate grows 8%, but not past 1.5 x what arrived, where it holds
 * (AimdRateControl). The browser may say so in the same second or one second late (its
 * throughput is measured over a second).
 *
 * <ul>
 *   <li>Whatever the link, the probe never proves a rate the link did not carry: a viewer is
 *       never moved up by it to a level its link cannot take.</li>
 *   <li>A link with room for the next level is found within 12 s, from any estimate and video.</li>
 * </ul>
 */
class UpProbeProperties {

    @Property(tries = 500)
    void provesOnlyWhatTheLinkCarriesAndFindsRoomSoon(@ForAll @LongRange(min = 200_000, max = 4_000_000) long capacity,
                                                      @ForAll @LongRange(min = 200_000, max = 700_000) long firstRemb,
                                                      @ForAll @IntRange(min = 0, max = 1) int lagSeconds,
                                                      @ForAll long seed) {
        Random random = new Random(seed);
        double need = 1_150_000;
        UpProbe probe = new UpProbe(2000, 4000, () -> random.nextLong());
        long now = 1_000_000;
        double remb = firstRemb;
        long previousSent = 400_000;
        long sent = 400_000;
        int foundAt = -1;
        for (int second = 0; second < 40; second++) {
            long video = 360_000 + random.nextInt(80_001); // a variant's rate varies by its keyframes
            sent = (long) (video + probe.paddingBps(video));
            long judged = lagSeconds == 0 ? sent : previousSent;
            if (judged > capacity) {
                remb = Math.min(remb, 0.85 * capacity);
            } else {
                // Grows, but not past 1.5 x what arrived; at that cap it holds (it does not fall).
                remb = Math.max(remb, Math.min(remb * 1.08, 1.5 * judged + 10_000));
            }
            now += 400 + random.nextInt(200);
            if (sent > capacity * 1.15) {
                probe.onLoss(now);
            }
            probe.onRemb((long) remb, now);
            now = (now / 1000 + 1) * 1000;
            probe.tick(now, sent, video, need);
            previousSent = sent;

            assertThat(probe.provenBps()).as("second %d: proven above the link's %d", second, capacity)
                    .isLessThanOrEqualTo(capacity);
            if (foundAt < 0 && probe.estimateBps() >= need) {
                foundAt = second;
            }
        }
        if (capacity >= need * UpProbe.PAST_NEED * 1.1) {
            assertThat(foundAt).as("room for the next level found, capacity %d", capacity).isBetween(0, 12);
        }
    }
}
