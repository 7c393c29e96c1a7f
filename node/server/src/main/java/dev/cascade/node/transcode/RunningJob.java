package dev.cascade.node.transcode;

import dev.cascade.transcoder.FfmpegProgress;
import dev.cascade.transcoder.FfmpegSupervisor;
import dev.cascade.transcoder.Ladder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One stream's ladder on this transcoder: its supervised ffmpeg, and what each run's
 * {@code -progress} output says. A run counts as <em>up</em> from its first progress block, which
 * ffmpeg writes only once its input and every output are connected: a run the origin refused (its
 * previous publisher not timed out yet) exits before that and is a failed start, not a restart.
 *
 * <p>Fields written by the run's stdout reader and the supervisor's thread, read by the HTTP server,
 * the metrics scrape and the heartbeat report: volatile, one writer each.
 */
public final class RunningJob {
    private final TranscodeJob job;
    private final FfmpegSupervisor supervisor;
    private volatile FfmpegProgress current = new FfmpegProgress();
    private volatile boolean currentUp;
    private volatile int runsUp;
    /** Frames and bytes of the runs before the current one, so the totals only grow. */
    private volatile long framesBefore;
    private volatile long bytesBefore;

    /** @param launch makes the supervisor for the job's command, given the per-run stdout reader */
    RunningJob(TranscodeJob job, Function<Supplier<Consumer<String>>, FfmpegSupervisor> launch) {
        this.job = job;
        this.supervisor = launch.apply(this::newRun);
    }

    /** Called by the supervisor as it starts a process: a fresh progress reader for it. */
    private Consumer<String> newRun() {
        FfmpegProgress.Stats last = current.latest();
        framesBefore += last.frames();
        bytesBefore += last.totalBytes();
        FfmpegProgress p = new FfmpegProgress();
        current = p;
        currentUp = false;
        return line -> {
            p.line(line);
            if (!currentUp && p.latest() != FfmpegProgress.Stats.NONE && current == p) {
                currentUp = true;
                runsUp++;
            }
        };
    }

    void start() {
        supervisor.start();
    }

    void stop() {
        supervisor.close();
    }

    CompletableFuture<Void> terminated() {
        return supervisor.terminated();
    }

    public TranscodeJob job() {
        return job;
    }

    /** ffmpeg runs with its ladder flowing (a progress block seen, the process alive). */
    public boolean up() {
        return currentUp && supervisor.running();
    }

    /** {@code running} (up), {@code starting} (a process connecting), {@code waiting} (between runs). */
    public String state() {
        return up() ? "running" : supervisor.running() ? "starting" : "waiting";
    }

    public long pid() {
        return supervisor.pid();
    }

    /** Times the ladder came back after a run that was up ended (ffmpeg died, the source went away...). */
    public int restarts() {
        return Math.max(0, runsUp - 1);
    }

    /** Runs that ended before they were up (refused by the origin, no source yet). */
    public int failedStarts() {
        int pending = supervisor.running() && !currentUp ? 1 : 0;
        return Math.max(0, supervisor.starts - runsUp - pending);
    }

    /** The real-time factor of the current run (1.0 keeps up with the live source); 0 when it is not up. */
    public double speed() {
        return up() ? current.latest().speed() : 0;
    }

    public double fps() {
        return up() ? current.latest().fps() : 0;
    }

    /** Frames encoded (the first level's), over every run. */
    public long frames() {
        return framesBefore + current.latest().frames();
    }

    /** Bytes written to every level's output, over every run. */
    public long bytesOut() {
        return bytesBefore + current.latest().totalBytes();
    }

    public Path log() {
        return supervisor.log();
    }

    public List<String> variants() {
        return job.ladder().stream().map(l -> Ladder.variantName(job.stream(), l.level())).toList();
    }
}
