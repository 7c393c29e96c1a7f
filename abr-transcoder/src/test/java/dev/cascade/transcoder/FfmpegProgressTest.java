package dev.cascade.transcoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FfmpegProgressTest {
    @Test
    void completeBlocksOnlyFromARecordedProgressOutput() throws IOException {
        FfmpegProgress p = new FfmpegProgress();
        String[] lines;
        try (InputStream in = getClass().getResourceAsStream("/progress-two-blocks.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n");
        }
        int i = 0;
        for (; !lines[i].equals("frame=61"); i++) {
            p.line(lines[i]);
        }
        assertThat(p.latest()).isEqualTo(new FfmpegProgress.Stats(0, 0, 0, 0, 0, false));
        for (; !lines[i].equals("frame=180"); i++) {
            p.line(lines[i]);
        }
        assertThat(p.latest()).isEqualTo(new FfmpegProgress.Stats(61, 29.87, 2_050_000, 952_316, 1.01, false));
        p.line(lines[i++]);
        p.line(lines[i++]);
        assertThat(p.latest().frames()).as("half a block is not published").isEqualTo(61);
        for (; i < lines.length; i++) {
            p.line(lines[i]);
        }
        assertThat(p.latest()).isEqualTo(new FfmpegProgress.Stats(180, 30.01, 6_000_000, 2_811_904, 0.998, true));
        assertThat(p.malformed()).isEqualTo(2);
    }
}
