package dev.cascade.node.egress.whep.abr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SplicerTest {
    private final Splicer splicer = new Splicer(0x1234_5678, 100, 7000);
    private final Splicer.Rewritten out = new Splicer.Rewritten();

    @Test
    void workedExampleFromTheDocComment() {
        splicer.switchTo(2);
        assertThat(splicer.needsKeyframe()).isTrue();
        assertThat(splicer.onPacket(2, 65534, (int) 4294965296L, true, out)).isTrue();
        assertThat(out.seq).isEqualTo(100);
        assertThat(out.timestamp).isEqualTo(7000);
        assertThat(out.switched).isTrue();
        assertThat(splicer.needsKeyframe()).isFalse();
        assertThat(splicer.onPacket(2, 65535, 1000, false, out)).isTrue();
        assertThat(out.seq).isEqualTo(101);
        assertThat(out.timestamp).isEqualTo(10000);
        assertThat(out.switched).isFalse();
        assertThat(splicer.frameTicks()).isEqualTo(3000);

        splicer.switchTo(1);
        assertThat(splicer.onPacket(1, 19, 552000, false, out)).isFalse();   // not a keyframe start
        assertThat(splicer.onPacket(1, 20, 555000, true, out)).isTrue();
        assertThat(out.seq).isEqualTo(102);
        assertThat(out.timestamp).isEqualTo(13000);
        assertThat(out.switched).isTrue();
        assertThat(splicer.onPacket(2, 0, 4000, false, out)).isFalse();      // the old variant is gone
        assertThat(splicer.onPacket(1, 21, 558000, false, out)).isTrue();
        assertThat(out.seq).isEqualTo(103);
        assertThat(out.timestamp).isEqualTo(16000);
        assertThat(splicer.currentLevel()).isEqualTo(1);
        assertThat(splicer.switches()).isEqualTo(2);
        assertThat(splicer.dropped()).isEqualTo(2);
        assertThat(splicer.ssrc()).isEqualTo(0x1234_5678);
    }

    @Test
    void nothingIsSentBeforeTheFirstVariantsKeyframe() {
        assertThat(splicer.onPacket(1, 5, 0, true, out)).isFalse();          // no variant chosen yet
        splicer.switchTo(1);
        assertThat(splicer.onPacket(1, 6, 3000, false, out)).isFalse();
        assertThat(splicer.onPacket(2, 7, 3000, true, out)).isFalse();       // another variant's keyframe
        assertThat(splicer.onPacket(1, 8, 6000, true, out)).isTrue();
        assertThat(out.seq).isEqualTo(100);
        assertThat(out.timestamp).isEqualTo(7000);
    }

    @Test
    void oldVariantFlowsUntilTheKeyframeAndAskingForTheCurrentOneDisarms() {
        splicer.switchTo(3);
        splicer.onPacket(3, 0, 0, true, out);
        splicer.switchTo(1);
        assertThat(splicer.pendingLevel()).isEqualTo(1);
        assertThat(splicer.onPacket(3, 1, 1500, false, out)).isTrue();
        assertThat(splicer.frameTicks()).isEqualTo(1500);
        splicer.switchTo(3);
        assertThat(splicer.needsKeyframe()).isFalse();
        assertThat(splicer.onPacket(1, 50, 90_000, true, out)).isFalse();
        assertThat(splicer.currentLevel()).isEqualTo(3);
    }

    @Test
    void aSwitchStepsByTheOldVariantsFrameAndIgnoresGapsAsFrameDurations() {
        splicer.switchTo(2);
        splicer.onPacket(2, 0, 0, true, out);
        splicer.onPacket(2, 1, 3003, false, out);
        splicer.onPacket(2, 2, 3003 + 900_000, false, out);                   // a 10 s hole in the source
        assertThat(splicer.frameTicks()).isEqualTo(3003);
        splicer.switchTo(1);
        splicer.onPacket(1, 9, 42, true, out);
        assertThat(out.timestamp).isEqualTo(7000 + 3003 + 900_000 + 3003);
    }

    @Test
    void paddingTakesTheNextNumberAndMediaFollowsIt() {
        assertThat(splicer.padding(out)).as("nothing before the first segment").isFalse();
        splicer.switchTo(2);
        splicer.onPacket(2, 65535, 9000, true, out);                         // out 100 at 7000
        assertThat(splicer.padding(out)).isTrue();
        assertThat(out.seq).isEqualTo(101);
        assertThat(out.timestamp).isEqualTo(7000);
        splicer.onPacket(2, 0, 12000, false, out);
        assertThat(out.seq).isEqualTo(102);
        assertThat(out.timestamp).isEqualTo(10000);
        assertThat(splicer.tsOffset()).isEqualTo(7000 - 9000);
    }

    @Test
    void levelsStartAtOne() {
        assertThatThrownBy(() -> splicer.switchTo(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
