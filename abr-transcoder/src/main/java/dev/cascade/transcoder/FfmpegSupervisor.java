package dev.cascade.transcoder;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one ffmpeg process running until stopped: when it exits, it is started again after a
 * backoff that doubles from 500 ms to 30 s and resets once a run has lasted a minute. Its output
 * goes to a log file of its own, never to ours.
 */
public final class FfmpegSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegSupervisor.class);
    static final long MIN_BACKOFF_MS = 500;
    static final long MAX_BACKOFF_MS = 30_000;
    static final long STABLE_RUN_MS = 60_000;

    private final String name;
    private final List<String> command;
    private final Path log;
    private final ScheduledExecutorService timer;
    private volatile boolean stopped;
    private volatile Process process;
    private long backoffMs = MIN_BACKOFF_MS;
    private long startedAt;
    public volatile int starts;

    public FfmpegSupervisor(String name, List<String> command, Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ffmpeg-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    public FfmpegSupervisor start() {
        timer.execute(this::launch);
        return this;
    }

    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    private void launch() {
        if (stopped) {
            return;
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            process = p;
            starts++;
            startedAt = System.nanoTime();
            p.onExit().thenRun(() -> exited(p));
        } catch (IOException e) {
            LOG.warn("{}: cannot start ffmpeg: {}", name, e.toString());
            retry();
        }
    }

    private void exited(Process p) {
        if (stopped) {
            return;
        }
        long ranMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
        if (ranMs >= STABLE_RUN_MS) {
            backoffMs = MIN_BACKOFF_MS;
        }
        LOG.info("{}: ffmpeg exited with {} after {} ms; restarting in {} ms (log {})", name, p.exitValue(), ranMs,
                backoffMs, log);
        retry();
    }

    private void retry() {
        long delay = backoffMs;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        timer.schedule(this::launch, delay, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        stopped = true;
        Process p = process;
        if (p != null) {
            p.destroy();
        }
        timer.shutdownNow();
    }
}
