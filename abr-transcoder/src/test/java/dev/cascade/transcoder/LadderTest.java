package dev.cascade.transcoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LadderTest {
    static final List<Ladder.Level> THREE = List.of(new Ladder.Level(1, 1280, 720, 2500, 30),
            new Ladder.Level(2, 854, 480, 1000, 30), new Ladder.Level(3, 640, 360, 400, 30));

    @Test
    void oneDecodeSplitIntoScaledLevelsWithKeyframesOnOneGrid() {
        List<String> cmd = Ladder.command("srt://o:9000?streamid=#!::r=live/x,m=request", THREE, 2.0, 96,
                l -> "out" + l.level() + ".ts");
        String graph = cmd.get(cmd.indexOf("-filter_complex") + 1);
        assertThat(graph).isEqualTo("[0:v:0]split=3[s1][s2][s3];[s1]scale=1280:720:flags=bicubic,fps=30,format=yuv420p[v1];"
                + "[s2]scale=854:480:flags=bicubic,fps=30,format=yuv420p[v2];[s3]scale=640:360:flags=bicubic,fps=30,format=yuv420p[v3]");
        assertThat(cmd.stream().filter("-i"::equals)).hasSize(1);
        assertThat(cmd.stream().filter("expr:gte(t,n_forced*2.000)"::equals)).hasSize(3);
        assertThat(cmd.stream().filter("baseline"::equals)).hasSize(3);
        assertThat(cmd).containsSubsequence("-map", "[v2]", "-b:v", "1000k", "-maxrate", "1000k", "out2.ts");
        assertThat(cmd).containsSubsequence("-bf", "0", "-g", "60", "-keyint_min", "60", "-sc_threshold", "0");
        assertThat(cmd.get(cmd.size() - 1)).isEqualTo("out3.ts");
        assertThat(Ladder.variantName("match", 2)).isEqualTo("match_2");
    }

    @Test
    void aTranscoderPullsFromTheOriginAndPublishesEachLevelBackAsAVariant() {
        List<String> cmd = Ladder.srtCommand("10.0.0.5", 9000, "live", "match", 20, THREE, 1.0, 64);
        assertThat(cmd.get(cmd.indexOf("-i") + 1))
                .isEqualTo("srt://10.0.0.5:9000?latency=20000&streamid=#!::r=live/match,m=request,hop=transcoder");
        assertThat(cmd).contains("srt://10.0.0.5:9000?latency=20000&streamid=#!::r=live/match_1,m=publish,hop=transcoder",
                "srt://10.0.0.5:9000?latency=20000&streamid=#!::r=live/match_3,m=publish,hop=transcoder");
        assertThat(cmd).containsSubsequence("-b:a", "64k");
        assertThat(cmd).containsSubsequence("-g", "30", "-keyint_min", "30");
        assertThat(Ladder.srtCommand("::1", 9000, "live", "m", 20, THREE, 1.0, 64).get(cmd.indexOf("-i") + 1))
                .startsWith("srt://[::1]:9000?");
    }

    @Test
    void levelsThatCannotBeEncodedAreRefused() {
        assertThatThrownBy(() -> new Ladder.Level(1, 853, 480, 1000, 30)).hasMessageContaining("853x480");
        assertThatThrownBy(() -> new Ladder.Level(1, 854, 480, 1000, 0)).hasMessageContaining("0 fps");
        assertThatThrownBy(() -> Ladder.command("in", List.of(), 2, 96, l -> "x")).hasMessageContaining("empty");
    }
}
