package dev.cascade.node.egress.whep.abr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The up-probe on scripted estimates: each second a tick with what the viewer received, between
 * ticks the browser's REMB. Video 400 kbps; the next level needs 1150 kbps (1000 x 1.15).
 */
class UpProbeTest {
    static final long VIDEO = 400_000;
    static final double NEED = 1_150_000;
    /** nextDouble(0.75, 1.25) = 0.75: every backoff is its shortest. */
    static final RandomGenerator LOW = () -> 0L;

    private final UpProbe probe = new UpProbe(2000, 8000, LOW);
    private long now = 10_000;

    /** One second: the REMB the browser sent in it, then the tick at its end. */
    private void second(long remb, long sentBps) {
        now += 500;
        probe.onRemb(remb, now);
        now += 500;
        probe.tick(now, sentBps, VIDEO, NEED);
    }

    /** What the viewer receives with the probe's padding on the video. */
    private long sent() {
        return (long) (VIDEO + probe.paddingBps(VIDEO));
    }

    @Test
    void rampsA25thEachSecondTheEstimateGrowsAndProvesEachRateOneSecondLate() {
        second(500_000, VIDEO);
        assertThat(probe.probing()).isTrue();
        assertThat(probe.targetBps()).isCloseTo(500_000 * UpProbe.RAMP, within(1.0)); // from the estimate
        assertThat(probe.paddingBps(VIDEO)).isCloseTo(625_000 - VIDEO, within(1.0));

        second(520_000, sent()); // grew: the 400 kbps before the probe is proven, not above the estimate
        assertThat(probe.provenBps()).isZero();
        assertThat(probe.targetBps()).isCloseTo(625_000 * UpProbe.RAMP, within(1.0));
        second(540_000, sent()); // grew again: the 625 kbps of the first second is proven
        assertThat(probe.provenBps()).isEqualTo(625_000);
        assertThat(probe.estimateBps()).isEqualTo(625_000);
        assertThat(probe.proves()).isTrue();
        second(560_000, sent());
        second(580_000, sent());
        assertThat(probe.provenBps()).isEqualTo(976_562); // 625 x 1.25^2
        assertThat(probe.targetBps()).isCloseTo(NEED * UpProbe.PAST_NEED, within(1.0)); // capped past the need
        second(600_000, sent());
        assertThat(probe.estimateBps()).isGreaterThanOrEqualTo((long) NEED);
        assertThat(probe.steps()).isEqualTo(5); // seconds that grew
        assertThat(probe.failures()).isZero();
    }

    @Test
    void aProbeFromAnEstimateAtItsCapIsNotJudgedInItsFirstSecond() {
        second(600_000, VIDEO); // 1.5 x 400: held there until the browser measures the padding
        assertThat(probe.targetBps()).isCloseTo(750_000, within(1.0));
        second(600_000, sent()); // held, but not judged
        assertThat(probe.probing()).isTrue();
        assertThat(probe.targetBps()).isCloseTo(750_000, within(1.0));
        second(650_000, sent()); // grew: on
        assertThat(probe.targetBps()).isCloseTo(750_000 * UpProbe.RAMP, within(1.0));
        second(650_000, sent()); // held now: doubt, back to what it received before (nothing above is proven)
        assertThat(probe.targetBps()).isCloseTo(VIDEO, within(1.0));
    }

    @Test
    void anEstimateThatHoldsSendsTheProbeBackToAKnownRateThenEndsIt() {
        second(500_000, VIDEO);
        second(520_000, sent());
        second(540_000, sent()); // 625 proven, 976 next
        long proven = probe.provenBps();
        second(540_000, sent()); // held: back to the proven rate for a second
        assertThat(probe.probing()).isTrue();
        assertThat(probe.targetBps()).isEqualTo(proven);
        second(540_000, sent()); // held again: over
        assertThat(probe.probing()).isFalse();
        assertThat(probe.paddingBps(VIDEO)).isZero();
        assertThat(probe.failures()).isEqualTo(1);
        assertThat(probe.provenBps()).as("what was proven stays").isEqualTo(proven);
        // The next waits 2 s x 0.75: not at the tick 1 s after, at the one 2 s after.
        second(550_000, VIDEO);
        assertThat(probe.probing()).isFalse();
        second(560_000, VIDEO);
        assertThat(probe.probing()).isTrue();
    }

    @Test
    void aHoldThatWasOnlyAKeyframeCostsOneSecondAndCautiousStepsAfter() {
        second(500_000, VIDEO);
        second(520_000, sent());
        second(540_000, sent()); // 625 proven; the 781 sent that second is unconfirmed
        second(540_000, sent()); // held: doubt
        second(560_000, sent()); // grew at the proven rate: on, full steps up to 781
        assertThat(probe.probing()).isTrue();
        assertThat(probe.targetBps()).isCloseTo(781_250, within(1.0));
        second(580_000, sent()); // past 781 only 6% a step
        assertThat(probe.targetBps()).isCloseTo(781_250 * UpProbe.CAUTIOUS, within(1.0));
        second(600_000, sent()); // grew past 781: the link got better, full steps again
        assertThat(probe.targetBps()).isCloseTo(828_125 * UpProbe.RAMP, within(1.0));
    }

    @Test
    void aFallEndsTheProbeAtOnceAndTheNextGoesPastItsLastGoodRateCautiously() {
        second(500_000, VIDEO);
        second(520_000, sent()); // 625 kbps showed growth
        now += 200;
        probe.onRemb(440_000, now); // 15% under: an overuse
        assertThat(probe.probing()).isFalse();
        assertThat(probe.paddingBps(VIDEO)).isZero();
        assertThat(probe.failures()).isEqualTo(1);
        now += 800;
        probe.tick(now, sent(), VIDEO, NEED); // 0.8 s after: waiting (2 s x 0.75 = 1.5 s)
        assertThat(probe.probing()).isFalse();
        second(600_000, VIDEO); // 1.8 s after: the next probe
        assertThat(probe.probing()).isTrue();
        // From 600 kbps: 6% past the 625 kbps that last showed growth, not 25% past 600.
        assertThat(probe.targetBps()).isCloseTo(625_000 * UpProbe.CAUTIOUS, within(1.0));
    }

    @Test
    void aHoldTakesThePaddingBackAtOnceNotAtTheNextTick() {
        second(500_000, VIDEO);
        second(520_000, sent());
        second(540_000, sent()); // 625 proven, 976 now
        now += 300;
        probe.onRemb(540_000, now);
        assertThat(probe.targetBps()).isEqualTo(625_000);
        assertThat(probe.paddingBps(VIDEO)).isCloseTo(225_000, within(1.0));
    }

    @Test
    void aRepeatedEstimateIsNotAHoldUntilItHasNotRisenFor800Ms() {
        second(500_000, VIDEO);
        second(520_000, sent()); // rose at 500 ms into the second; the tick at 1000
        now += 200;
        probe.onRemb(520_000, now); // the same estimate in another report, 700 ms after it rose
        assertThat(probe.targetBps()).isCloseTo(781_250, within(1.0));
        now += 100;
        probe.onRemb(520_000, now); // 800 ms: held
        assertThat(probe.targetBps()).isCloseTo(VIDEO, within(1.0));
    }

    @Test
    void aHoldPastWherePreviousProbeStoppedEndsTheProbeWithoutDoubt() {
        second(500_000, VIDEO);
        second(520_000, sent());
        second(540_000, sent()); // 625 proven; 781 showed growth
        second(540_000, sent()); // held: doubt, back at 625
        second(560_000, sent()); // grew: on, up to 781
        second(580_000, sent()); // grew: past 781 by 6%
        assertThat(probe.targetBps()).isGreaterThan(781_250);
        now += 300;
        probe.onRemb(580_000, now); // held past 781: the same link
        assertThat(probe.probing()).isFalse();
        assertThat(probe.failures()).isEqualTo(1);
    }

    @Test
    void backoffDoublesToItsMaximum() {
        second(500_000, VIDEO);
        long remb = 500_000;
        long[] waits = new long[5];
        for (int i = 0; i < waits.length; i++) {
            assertThat(probe.probing()).isTrue();
            now += 100;
            remb = remb * 9 / 10;
            probe.onRemb(remb, now); // fell: over
            assertThat(probe.probing()).isFalse();
            long failedAt = now;
            for (int t = 0; t < 200 && !probe.probing(); t++) {
                now += 100;
                probe.onRemb(remb += 1000, now);
                probe.tick(now, VIDEO, VIDEO, NEED);
            }
            waits[i] = now - failedAt;
        }
        // 0.75 x 2, 4, 8, 8, 8 s, to the next 100 ms tick.
        assertThat(waits).containsExactly(1500, 3000, 6000, 6000, 6000);
    }

    @Test
    void lossEndsAProbeAndOutsideOneTakesTheProofAway() {
        second(500_000, VIDEO);
        second(520_000, sent());
        second(540_000, sent());
        second(560_000, sent());
        assertThat(probe.provenBps()).isEqualTo(781_250);
        probe.onLoss(now);
        assertThat(probe.probing()).isFalse();
        assertThat(probe.provenBps()).as("the probe's own loss: the proof stays").isEqualTo(781_250);
        now += UpProbe.GRACE_MS - 100;
        probe.onLoss(now);
        assertThat(probe.provenBps()).as("still the probe's queue draining").isEqualTo(781_250);
        now += 200;
        probe.onLoss(now);
        assertThat(probe.provenBps()).as("loss at a proven rate: it overran the link").isZero();
        assertThat(probe.estimateBps()).isEqualTo(560_000);
        assertThat(probe.proves()).isFalse();
    }

    @Test
    void aFallOutsideAProbeTakesTheProofAwayAndAnEstimateReachingItReplacesIt() {
        second(500_000, VIDEO);
        second(520_000, sent());
        second(540_000, sent());
        probe.end(now); // switched up, say: nothing more to probe for
        assertThat(probe.provenBps()).isEqualTo(625_000);
        now += UpProbe.GRACE_MS + 1;
        probe.onRemb(600_000, now);
        assertThat(probe.provenBps()).isEqualTo(625_000);
        probe.onRemb(630_000, now);
        assertThat(probe.provenBps()).as("the estimate says as much").isZero();
        assertThat(probe.estimateBps()).isEqualTo(630_000);

        second(500_000, VIDEO); // (a 20% fall: no proof to take)
        second(520_000, sent());
        second(540_000, sent());
        probe.end(now);
        now += UpProbe.GRACE_MS + 1;
        probe.onRemb(520_000, now); // 4% under the last: an overuse at the proven rate
        assertThat(probe.provenBps()).isZero();
    }

    @Test
    void noProbeWithoutALevelToProbeForOrWhenTheEstimateAlreadyQualifies() {
        probe.onRemb(500_000, now);
        probe.tick(now += 1000, VIDEO, VIDEO, 0);
        assertThat(probe.probing()).isFalse();
        probe.onRemb(1_300_000, now);
        probe.tick(now += 1000, VIDEO, VIDEO, NEED); // 1.3 Mbps >= 1.15 x 1.05
        assertThat(probe.probing()).isFalse();
        assertThat(probe.paddingBps(VIDEO)).isZero();
    }

    @Test
    void noVerdictInASecondWithoutAnEstimate() {
        second(500_000, VIDEO);
        double target = probe.targetBps();
        probe.tick(now += 1000, sent(), VIDEO, NEED); // no REMB came
        assertThat(probe.probing()).isTrue();
        assertThat(probe.targetBps()).isEqualTo(target);
        second(520_000, sent());
        assertThat(probe.targetBps()).isCloseTo(target * UpProbe.RAMP, within(1.0));
    }

    @Test
    void paddingIsAtMostThreeTimesTheVideo() {
        probe.onRemb(1_000_000, now);
        probe.tick(now += 1000, 100_000, 100_000, 10_000_000);
        assertThat(probe.paddingBps(100_000)).isEqualTo(300_000);
        assertThat(probe.paddingBps(0)).isZero();
    }

    @Test
    void refusesABackoffThatMakesNoSense() {
        assertThatThrownBy(() -> new UpProbe(0, 10, LOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UpProbe(2000, 1000, LOW)).isInstanceOf(IllegalArgumentException.class);
    }
}
