package dev.cascade.transcoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor with a stand-in for ffmpeg (a shell): stdout to a fresh reader per run, stderr to the
 * log, restart after an exit, and a stop that ends the process.
 */
class FfmpegSupervisorTest {
    @TempDir
    Path dir;

    @Test
    void eachRunsStdoutGoesToItsOwnReaderAndStderrToTheLog() throws Exception {
        Path log = dir.resolve("job.log");
        List<List<String>> runs = new CopyOnWriteArrayList<>();
        // Prints two progress lines and a warning, then exits: the supervisor starts it again.
        try (FfmpegSupervisor s = new FfmpegSupervisor("t", List.of("sh", "-c",
                "echo frame=$$; echo progress=continue; echo 'a warning' >&2; exit 1"), log, () -> {
                    List<String> lines = new CopyOnWriteArrayList<>();
                    runs.add(lines);
                    return lines::add;
                }).start()) {
            await("two runs read to their end", () -> runs.size() >= 2 && runs.get(1).size() == 2);
            assertThat(s.restarts()).isGreaterThanOrEqualTo(1);
            assertThat(runs.get(0)).hasSize(2).last().isEqualTo("progress=continue");
            assertThat(runs.get(0).get(0)).as("each run is its own process").isNotEqualTo(runs.get(1).get(0));
            await("stderr in the log", () -> read(log).contains("a warning"));
            assertThat(Files.readString(log)).doesNotContain("progress=");
        }
    }

    @Test
    void closeEndsTheProcessAndNothingRestartsIt() throws Exception {
        FfmpegSupervisor s = new FfmpegSupervisor("t", List.of("sleep", "60"), dir.resolve("sleep.log")).start();
        await("started", s::running);
        ProcessHandle p = ProcessHandle.of(s.pid()).orElseThrow();
        s.close();
        await("the process ended", () -> !p.isAlive());
        Thread.sleep(FfmpegSupervisor.MIN_BACKOFF_MS * 2);
        assertThat(s.starts).isEqualTo(1);
        assertThat(s.running()).isFalse();
    }

    @Test
    void commandsRunUnderAParentDeathSignalWhereSetprivExists() {
        List<String> cmd = FfmpegSupervisor.withParentDeathSignal(List.of("ffmpeg", "-version"));
        if (Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            assertThat(cmd).containsExactly("/usr/bin/setpriv", "--pdeathsig", "KILL", "--", "ffmpeg", "-version");
        } else {
            assertThat(cmd).containsExactly("ffmpeg", "-version");
        }
    }

    private static String read(Path f) {
        try {
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static void await(String what, BooleanSupplier c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (c.getAsBoolean()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting until " + what);
    }
}
