package dev.cascade.node.transcode;

import dev.cascade.node.config.NodeConfig;
import dev.cascade.transcoder.FfmpegSupervisor;
import dev.cascade.transcoder.Ladder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs the stream manager gives this transcoder, reconciled with every heartbeat answer
 * (which lists all of them each time): a new job starts its ffmpeg, a job no longer listed stops, a
 * job whose source or ladder changed is stopped and started again once the old process is gone (so
 * the origin has seen the old publishers leave). At most {@code transcoder.maxJobs} run; the manager
 * gives no more, so one past it is refused, logged and counted.
 *
 * <p>{@link #reconcile} runs on the manager link's context, {@link #close} at shutdown; the job map is
 * concurrent for the readers (HTTP, metrics, the heartbeat report).
 */
public final class TranscodeRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TranscodeRunner.class);

    /** Makes the supervisor of one job: its command, log and per-run stdout reader. */
    public interface Launcher {
        FfmpegSupervisor launch(TranscodeJob job, Supplier<Consumer<String>> stdout);
    }

    private final int maxJobs;
    private final Launcher launcher;
    private final TranscoderMetrics metrics;
    private final Map<String, RunningJob> jobs = new ConcurrentHashMap<>();
    private final Set<String> refusedLogged = new HashSet<>();
    private boolean closed;

    public TranscodeRunner(int maxJobs, Launcher launcher, TranscoderMetrics metrics) {
        this.maxJobs = maxJobs;
        this.launcher = launcher;
        this.metrics = metrics;
        metrics.registerRunner(jobs::size, maxJobs);
    }

    /**
     * The launcher of a real transcoder: {@link Ladder#srtCommand} from the job, at the configured GOP,
     * audio bitrate and inter-node latency, ffmpeg's stderr appended to a log per stream in the
     * temporary directory.
     */
    public static Launcher ffmpeg(NodeConfig cfg) {
        NodeConfig.Transcoder t = cfg.transcoder();
        return (job, stdout) -> {
            List<String> command = Ladder.srtCommand(job.source().host(), job.source().srtPort(), job.app(), job.name(),
                    cfg.upstream().latencyMs(), job.ladder(), t.gopMs() / 1000.0, t.audioKbps());
            Path log = Path.of(System.getProperty("java.io.tmpdir"),
                    "cascade-" + cfg.nodeId() + "-" + job.stream().replace('/', '_') + ".ladder.log");
            return new FfmpegSupervisor(job.stream() + ".ladder", command, log, stdout);
        };
    }

    /** Makes the running jobs the ones listed. */
    public synchronized void reconcile(List<TranscodeJob> wanted) {
        if (closed) {
            return;
        }
        Map<String, TranscodeJob> byStream = new LinkedHashMap<>();
        for (TranscodeJob j : wanted) {
            byStream.putIfAbsent(j.stream(), j);
        }
        Map<String, CompletableFuture<Void>> replaced = new LinkedHashMap<>();
        for (RunningJob r : new ArrayList<>(jobs.values())) {
            TranscodeJob w = byStream.get(r.job().stream());
            if (w == null) {
                stop(r, "no longer assigned to this transcoder");
            } else if (!w.equals(r.job())) {
                stop(r, !w.source().equals(r.job().source()) ? "its origin is now " + w.source().node() : "its ladder changed");
                replaced.put(w.stream(), r.terminated());
            }
        }
        for (TranscodeJob w : byStream.values()) {
            if (jobs.containsKey(w.stream())) {
                continue;
            }
            if (jobs.size() >= maxJobs) {
                metrics.refused();
                if (refusedLogged.add(w.stream())) {
                    LOG.warn("stream {}: not transcoded here, {} jobs run already (transcoder.maxJobs)", w.stream(), maxJobs);
                }
                continue;
            }
            refusedLogged.remove(w.stream());
            RunningJob r = new RunningJob(w, stdout -> launcher.launch(w, stdout));
            jobs.put(w.stream(), r);
            metrics.registerJob(r);
            LOG.info("stream {}: transcoding its {}-level ladder from {} ({}:{}) into {}", w.stream(), w.ladder().size(),
                    w.source().node(), w.source().host(), w.source().srtPort(), String.join(", ", r.variants()));
            CompletableFuture<Void> previous = replaced.get(w.stream());
            if (previous == null) {
                r.start();
            } else {
                previous.whenComplete((v, e) -> r.start());
            }
        }
        refusedLogged.retainAll(byStream.keySet());
    }

    private void stop(RunningJob r, String why) {
        jobs.remove(r.job().stream(), r);
        metrics.unregisterJob(r);
        r.stop();
        LOG.info("stream {}: transcoding stopped ({})", r.job().stream(), why);
    }

    public Collection<RunningJob> jobs() {
        return jobs.values();
    }

    public RunningJob job(String stream) {
        return jobs.get(stream);
    }

    /**
     * Stops every job; the future completes when every ffmpeg is gone (each gets two seconds to close
     * its outputs, so the origin sees its publishers leave instead of waiting for them to time out).
     */
    public synchronized CompletableFuture<Void> stopAll() {
        closed = true;
        List<CompletableFuture<Void>> gone = new ArrayList<>();
        for (RunningJob r : new ArrayList<>(jobs.values())) {
            stop(r, "shutdown");
            gone.add(r.terminated());
        }
        return CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        stopAll();
    }
}
