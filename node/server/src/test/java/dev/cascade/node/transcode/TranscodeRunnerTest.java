package dev.cascade.node.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.node.it.Await;
import dev.cascade.transcoder.FfmpegSupervisor;
import dev.cascade.transcoder.Ladder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job runner with a stand-in for ffmpeg (a shell that writes -progress blocks and waits): jobs
 * start, stop and restart as the answers change, the transcoder's limit holds, a killed ffmpeg comes
 * back and counts as one restart while refused starts count apart, and the metrics follow.
 */
class TranscodeRunnerTest {
    static final TranscodeJob.Source ORIGIN = new TranscodeJob.Source("origin-1", "127.0.0.1", 9000);
    static final List<Ladder.Level> TWO = List.of(new Ladder.Level(1, 1280, 720, 2500, 30), new Ladder.Level(2, 640, 360, 400, 30));

    @TempDir
    Path dir;
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final List<TranscodeJob> launched = new CopyOnWriteArrayList<>();
    TranscodeRunner runner;

    /**
     * A stand-in ffmpeg per job: prints one progress block and waits; with a {@code fail-once} file in
     * its directory, its second run exits at once without a progress block (an origin refusing it).
     */
    TranscodeRunner runner(int maxJobs) {
        runner = new TranscodeRunner(maxJobs, (job, stdout) -> {
            launched.add(job);
            Path runs = dir.resolve(job.name() + ".runs");
            String script = "n=$(cat " + runs + " 2>/dev/null || echo 0); echo $((n+1)) > " + runs + "; "
                    + "if [ $n -eq 1 ] && [ -e " + dir.resolve("fail-once") + " ]; then exit 1; fi; "
                    + "echo frame=30; echo fps=30.0; echo total_size=1000; echo speed=1.01x; echo progress=continue; "
                    + "exec sleep 60";
            return new FfmpegSupervisor(job.stream(), List.of("sh", "-c", script), dir.resolve(job.name() + ".log"), stdout);
        }, new TranscoderMetrics(registry));
        return runner;
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.stopAll().get();
        }
    }

    static TranscodeJob job(String stream, List<Ladder.Level> ladder) {
        return new TranscodeJob(stream, ORIGIN, ladder);
    }

    @Test
    void jobsFollowTheAnswersAndTheLimitHolds() throws Exception {
        TranscodeRunner r = runner(2);
        r.reconcile(List.of(job("live/a", TWO), job("live/b", TWO), job("live/c", TWO)));
        Await.until("a and b up", 20, () -> r.job("live/a") != null && r.job("live/a").up() && r.job("live/b") != null && r.job("live/b").up());
        assertThat(r.job("live/c")).as("past transcoder.maxJobs").isNull();
        assertThat(registry.scrape()).contains("cascade_transcoder_jobs_refused_total 1.0", "cascade_transcoder_jobs 2.0",
                "cascade_transcoder_speed{stream=\"live/a\"} 1.01", "cascade_transcoder_up{stream=\"live/b\"} 1.0");
        assertThat(r.job("live/a").variants()).containsExactly("live/a_1", "live/a_2");
        assertThat(r.job("live/a").frames()).isEqualTo(30);
        assertThat(r.job("live/a").state()).isEqualTo("running");

        // The same answer again changes nothing; a changed ladder restarts that job once the old process is gone.
        long pidA = r.job("live/a").pid();
        long pidB = r.job("live/b").pid();
        r.reconcile(List.of(job("live/a", TWO), job("live/b", TWO)));
        assertThat(r.job("live/a").pid()).isEqualTo(pidA);
        r.reconcile(List.of(job("live/a", TWO), job("live/b", TWO.subList(1, 2).stream()
                .map(l -> new Ladder.Level(1, l.width(), l.height(), l.bitrateKbps(), l.fps())).toList())));
        Await.until("b restarted with its new ladder", 20, () -> r.job("live/b").up() && r.job("live/b").pid() != pidB);
        assertThat(ProcessHandle.of(pidB).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(r.job("live/b").job().ladder()).hasSize(1);

        // Gone from the answer: stopped, and its series with it.
        long pidA2 = r.job("live/a").pid();
        r.reconcile(List.of(job("live/b", r.job("live/b").job().ladder())));
        assertThat(r.job("live/a")).isNull();
        Await.until("a's process ended", 20, () -> !ProcessHandle.of(pidA2).map(ProcessHandle::isAlive).orElse(false));
        assertThat(registry.scrape()).doesNotContain("stream=\"live/a\"");
    }

    @Test
    void aKilledFfmpegComesBackAsOneRestartAndRefusedStartsCountApart() throws Exception {
        Files.createFile(dir.resolve("fail-once"));
        TranscodeRunner r = runner(4);
        r.reconcile(List.of(job("live/a", TWO)));
        Await.until("up", 20, () -> r.job("live/a") != null && r.job("live/a").up());
        long pid = r.job("live/a").pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Await.until("up again in a third process", 20, () -> r.job("live/a").up() && r.job("live/a").pid() != pid
                && launchedRuns() >= 3);
        RunningJob j = r.job("live/a");
        assertThat(j.restarts()).isEqualTo(1);
        assertThat(j.failedStarts()).isEqualTo(1);
        assertThat(j.frames()).as("frames of both runs that were up").isEqualTo(60);
        assertThat(registry.scrape()).contains("cascade_transcoder_restarts_total{stream=\"live/a\"} 1.0",
                "cascade_transcoder_failed_starts_total{stream=\"live/a\"} 1.0", "cascade_transcoder_frames_total{stream=\"live/a\"} 60.0");
        assertThat(launched).hasSize(1);
    }

    /** The heartbeat: each job a stream pulled from its origin, the jobs as streams, the variants as publishers, a CPU figure. */
    @Test
    void theReportShowsTheJobsAndTheirLoad() throws Exception {
        TranscodeRunner r = runner(4);
        TranscoderReporter reporter = new TranscoderReporter(r);
        r.reconcile(List.of(job("live/a", TWO)));
        Await.until("up", 20, () -> r.job("live/a") != null && r.job("live/a").up());
        dev.cascade.node.manager.NodeReport report = reporter.sample();
        assertThat(report.streamCount()).isEqualTo(1);
        assertThat(report.publishers()).as("two variants published").isEqualTo(2);
        assertThat(report.subscribers()).isZero();
        assertThat(report.streams()).containsExactly(new dev.cascade.node.manager.ManagerMessages.NodeStream("live/a", false,
                0, 0, "origin-1"));
        assertThat(reporter.cpu()).isBetween(0.0, 1.0);
    }

    private int launchedRuns() {
        try {
            return Integer.parseInt(Files.readString(dir.resolve("a.runs")).trim());
        } catch (Exception e) {
            return 0;
        }
    }
}
