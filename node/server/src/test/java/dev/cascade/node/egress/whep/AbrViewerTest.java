package dev.cascade.node.egress.whep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.node.egress.whep.abr.AbrLadder;
import dev.cascade.node.egress.whep.abr.VariantChooser;
import java.util.List;
import org.junit.jupiter.api.Test;

class AbrViewerTest {
    @Test
    void levelsAreComparedWithWhatTheyCostTheLink() {
        AbrLadder ladder = new AbrLadder("live/x", List.of(new AbrLadder.Level(1, 1280, 720, 2500, 30),
                new AbrLadder.Level(2, 640, 360, 400, 30)), VariantChooser.Policy.defaults(2));
        // video x 1.05 (headers) + 80 kbps of audio
        assertThat(AbrViewer.wireBitrates(ladder)).containsExactly(2_705_000L, 500_000L);
    }
}
