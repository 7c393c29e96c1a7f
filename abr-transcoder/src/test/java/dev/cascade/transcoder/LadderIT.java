package dev.cascade.transcoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ffmpeg makes a 3-level ladder from a 720p30 test file (with AAC audio, as an SRT publisher
 * sends): each level has its size, H.264 constrained baseline, no B-frames, Opus audio, and its
 * keyframes at exactly the same timestamps as every other level's, which is what lets an edge switch
 * a viewer between levels at a keyframe.
 */
class LadderIT {
    @TempDir
    Path dir;

    @Test
    void ladderLevelsHaveTheirSizesBaselineNoBFramesOpusAndAlignedKeyframes() throws Exception {
        Path source = dir.resolve("source.ts");
        run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "6", "-c:v", "libx264", "-g", "90",
                "-bf", "2", "-c:a", "aac", "-f", "mpegts", source.toString()));
        List<String> cmd = Ladder.command(source.toString(), LadderTest.THREE, 2.0, 96,
                l -> dir.resolve("level" + l.level() + ".ts").toString());
        String progress = run(cmd);
        FfmpegProgress stats = new FfmpegProgress();
        progress.lines().forEach(stats::line);
        assertThat(stats.latest().ended()).as("ffmpeg -progress output:\n" + progress).isTrue();
        assertThat(stats.latest().frames()).as("frames of 6 s at 30 fps").isBetween(175L, 185L);
        assertThat(stats.latest().speed()).isPositive();
        assertThat(stats.malformed()).isZero();

        List<String> firstKeyframes = null;
        for (Ladder.Level l : LadderTest.THREE) {
            Path out = dir.resolve("level" + l.level() + ".ts");
            String video = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                    "stream=codec_name,profile,width,height,has_b_frames", "-of", "default=nw=1", out.toString()));
            assertThat(video).contains("codec_name=h264", "profile=Constrained Baseline", "width=" + l.width(),
                    "height=" + l.height(), "has_b_frames=0");
            String audio = run(List.of("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                    "stream=codec_name,sample_rate", "-of", "default=nw=1", out.toString()));
            assertThat(audio).contains("codec_name=opus", "sample_rate=48000");
            List<String> keyframes = new ArrayList<>();
            for (String line : run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                    "packet=pts,flags", "-of", "csv=p=0", out.toString())).split("\n")) {
                if (line.contains("K")) {
                    keyframes.add(line.split(",")[0]);
                }
            }
            assertThat(keyframes).as("level " + l.level() + " keyframes").hasSizeGreaterThanOrEqualTo(3);
            if (firstKeyframes == null) {
                firstKeyframes = keyframes;
            } else {
                assertThat(keyframes).as("level " + l.level() + " keyframes at level 1's").isEqualTo(firstKeyframes);
            }
        }
    }

    private String run(List<String> cmd) throws IOException, InterruptedException {
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + Files.readString(err)).isZero();
        return out;
    }
}
