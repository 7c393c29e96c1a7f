package dev.cascade.node.egress.whep.abr;

import static dev.cascade.node.egress.whep.abr.VariantChooser.Reason.DOWN_REMB;
import static dev.cascade.node.egress.whep.abr.VariantChooser.Reason.START;
import static dev.cascade.node.egress.whep.abr.VariantChooser.Reason.UP_REMB_HELD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cascade.node.egress.whep.abr.VariantChooser.Policy;
import dev.cascade.node.egress.whep.abr.VariantChooser.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision logic on recorded-style REMB traces ({@code src/test/resources/abr/*.csv}) and edge cases. */
class VariantChooserTest {
    /** Levels 1..4: 4, 2, 1 and 0.5 Mbps. Up thresholds (x1.2): 1.2, 2.4, 4.8 Mbps; down (/0.9): 1.11, 2.22, 4.44 Mbps. */
    static final long[] LADDER = {4_000_000, 2_000_000, 1_000_000, 500_000};

    record Switch(long millis, int level, Reason reason) {}

    @Test
    void linkDropStepsDownAtOnceAndClimbsBackOneLevelPerUpDelay() throws IOException {
        assertThat(replay("remb-link-drop.csv")).containsExactly(
                new Switch(4000, 3, UP_REMB_HELD),
                new Switch(8000, 2, UP_REMB_HELD),
                new Switch(12000, 1, UP_REMB_HELD),
                new Switch(20000, 3, DOWN_REMB),   // 2.1 Mbps x 0.9 = 1.89: two levels at once
                new Switch(20500, 4, DOWN_REMB),   // 0.8 Mbps x 0.9 = 0.72: under everything but level 4
                new Switch(34000, 3, UP_REMB_HELD),
                new Switch(38000, 2, UP_REMB_HELD),
                new Switch(42000, 1, UP_REMB_HELD));
    }

    @Test
    void noisyEstimateAroundThresholdsNeitherClimbsEarlyNorFlaps() throws IOException {
        assertThat(replay("remb-noisy-threshold.csv")).containsExactly(
                new Switch(4000, 3, UP_REMB_HELD),
                new Switch(34000, 2, UP_REMB_HELD),  // first time held >= 2.4 Mbps for 4 s: from 30 s
                new Switch(41000, 3, DOWN_REMB));    // the one estimate under 2.22 Mbps
    }

    @Test
    void shortSpikesDoNotSwitchUp() throws IOException {
        assertThat(replay("remb-short-spike.csv")).containsExactly(
                new Switch(4000, 3, UP_REMB_HELD),
                new Switch(34000, 2, UP_REMB_HELD)); // 3 Mbps qualifies for level 2, not level 1
    }

    @Test
    void startsAtTheStartLevel() {
        VariantChooser c = new VariantChooser(LADDER, Policy.defaults(4));
        assertThat(c.targetLevel()).isEqualTo(4);
        assertThat(c.currentLevel()).isEqualTo(4);
        assertThat(c.reason()).isEqualTo(START);
        assertThat(c.switchCount()).isZero();
        assertThat(c.lastRembBps()).isEqualTo(-1);
    }

    @Test
    void estimateUnderTheWholeLadderGoesToTheLowestInOneStep() {
        VariantChooser c = new VariantChooser(LADDER, new Policy(1, 0.9, 1.2, 4000));
        assertThat(c.onRemb(100_000, 0)).isEqualTo(4);
        assertThat(c.reason()).isEqualTo(DOWN_REMB);
        assertThat(c.switchCount()).isEqualTo(1);
        assertThat(c.onRemb(50_000, 500)).isEqualTo(4);
        assertThat(c.switchCount()).isEqualTo(1);
    }

    @Test
    void downFitsTheHighestLevelUnderTheThreshold() {
        VariantChooser c = new VariantChooser(LADDER, new Policy(1, 0.9, 1.2, 4000));
        assertThat(c.onRemb(4_444_445, 0)).isEqualTo(1);           // 4.0000005 Mbps budget: stays
        assertThat(c.onRemb(4_400_000, 1)).isEqualTo(2);           // 3.96 budget: level 2 fits
        assertThat(c.onRemb(2_222_223, 2)).isEqualTo(2);
        assertThat(c.onRemb(2_000_000, 3)).isEqualTo(3);
    }

    @Test
    void aSampleBelowResetsTheUpTimerAndEachStepWaitsAgain() {
        VariantChooser c = new VariantChooser(LADDER, Policy.defaults(4));
        c.onRemb(1_200_000, 0);
        c.onRemb(1_199_999, 3999);                                  // resets
        assertThat(c.onRemb(1_200_000, 4000)).isEqualTo(4);         // held since 4000
        assertThat(c.onRemb(1_200_000, 7999)).isEqualTo(4);
        assertThat(c.onRemb(1_200_000, 8000)).isEqualTo(3);
        assertThat(c.onRemb(2_400_000, 8001)).isEqualTo(3);         // level 2's wait starts here
        assertThat(c.onRemb(2_400_000, 12000)).isEqualTo(3);
        assertThat(c.onRemb(2_400_000, 12001)).isEqualTo(2);
    }

    @Test
    void zeroUpDelayStillClimbsOneLevelPerEstimate() {
        VariantChooser c = new VariantChooser(LADDER, new Policy(4, 0.9, 1.2, 0));
        assertThat(c.onRemb(100_000_000, 0)).isEqualTo(3);
        assertThat(c.onRemb(100_000_000, 1)).isEqualTo(2);
        assertThat(c.onRemb(100_000_000, 2)).isEqualTo(1);
        assertThat(c.onRemb(100_000_000, 3)).isEqualTo(1);
        assertThat(c.switchCount()).isEqualTo(3);
    }

    @Test
    void currentLevelFollowsTheSpliceNotTheDecision() {
        VariantChooser c = new VariantChooser(LADDER, new Policy(1, 0.9, 1.2, 4000));
        c.onRemb(800_000, 0);
        assertThat(c.targetLevel()).isEqualTo(4);
        assertThat(c.currentLevel()).isEqualTo(1);
        c.switched(4);
        assertThat(c.currentLevel()).isEqualTo(4);
        assertThatThrownBy(() -> c.switched(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsBadLaddersAndPolicies() {
        assertThatThrownBy(() -> new VariantChooser(new long[0], Policy.defaults(1)))
                .hasMessageContaining("at least one level");
        assertThatThrownBy(() -> new VariantChooser(new long[] {1_000_000, 2_000_000}, Policy.defaults(2)))
                .hasMessageContaining("strictly decreasing");
        assertThatThrownBy(() -> new VariantChooser(LADDER, Policy.defaults(5)))
                .hasMessageContaining("abr.startLevel must be <=");
        assertThatThrownBy(() -> new Policy(0, 0.9, 1.2, 0)).hasMessageContaining("abr.startLevel");
        assertThatThrownBy(() -> new Policy(1, 1.1, 1.2, 0)).hasMessageContaining("abr.downThreshold");
        assertThatThrownBy(() -> new Policy(1, 0.9, 0.8, 0)).hasMessageContaining("abr.upHeadroom");
        assertThatThrownBy(() -> new Policy(1, 0.9, 1.2, -1)).hasMessageContaining("abr.upDelayMs");
    }

    /** Feeds a trace to a chooser with the default policy and records every change of the target. */
    private static List<Switch> replay(String trace) throws IOException {
        VariantChooser c = new VariantChooser(LADDER, Policy.defaults(LADDER.length));
        List<Switch> switches = new ArrayList<>();
        for (long[] sample : read(trace)) {
            int before = c.targetLevel();
            int level = c.onRemb(sample[1], sample[0]);
            assertThat(level).isEqualTo(c.targetLevel());
            assertThat(c.lastRembBps()).isEqualTo(sample[1]);
            if (level != before) {
                switches.add(new Switch(sample[0], level, c.reason()));
            }
        }
        assertThat(c.switchCount()).isEqualTo(switches.size());
        return switches;
    }

    private static List<long[]> read(String trace) throws IOException {
        List<long[]> samples = new ArrayList<>();
        try (InputStream in = VariantChooserTest.class.getResourceAsStream("/abr/" + trace)) {
            assertThat(in).as(trace).isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                samples.add(new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])});
            }
        }
        assertThat(samples).as(trace).isNotEmpty();
        return samples;
    }
}
