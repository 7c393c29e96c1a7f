package dev.cascade.transcoder;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one ffmpeg process running until stopped: when it exits, it is started again after a
 * backoff that doubles from 500 ms to 30 s and resets once a run has lasted a minute. Its stderr (and,
 * unless a reader is given, its stdout) goes to a log file of its own, never to ours.
 *
 * <p>With a {@code stdout} supplier, each run's stdout is read line by line on a thread of its own
 * and handed to a consumer the supplier makes for that run (ffmpeg's {@code -progress pipe:1}
 * output, read by a fresh {@link FfmpegProgress} per process).
 *
 * <p>ffmpeg dies with the JVM: where util-linux's {@code setpriv} exists (Debian: always), the
 * command runs under {@code setpriv --pdeathsig KILL}, so a JVM killed with SIGKILL leaves no ffmpeg
 * behind publishing to an origin (the next transcoder would be refused as a second publisher).
 * The parent-death signal follows the thread that started the process, which is this supervisor's
 * own timer thread: it lives until {@link #close}.
 */
public final class FfmpegSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegSupervisor.class);
    static final long MIN_BACKOFF_MS = 500;
    static final long MAX_BACKOFF_MS = 30_000;
    static final long STABLE_RUN_MS = 60_000;
    /** After SIGTERM at close, how long ffmpeg gets to close its outputs before SIGKILL. */
    static final long STOP_GRACE_MS = 2_000;
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final String name;
    private final List<String> command;
    private final Path log;
    private final Supplier<Consumer<String>> stdout;
    private final ScheduledExecutorService timer;
    private volatile boolean stopped;
    private final java.util.concurrent.CompletableFuture<Void> terminated = new java.util.concurrent.CompletableFuture<>();
    private volatile Process process;
    private long backoffMs = MIN_BACKOFF_MS;
    private long startedAt;
    /** Processes started so far (the first run included). */
    public volatile int starts;

    /** Both of ffmpeg's outputs go to {@code log}. */
    public FfmpegSupervisor(String name, List<String> command, Path log) {
        this(name, command, log, null);
    }

    /**
     * @param log    where ffmpeg's stderr is appended (and its stdout when {@code stdout} is null)
     * @param stdout per run, the consumer of that process's stdout lines (called on the supervisor's
     *               thread as the process starts; lines arrive on a reader thread); null: stdout to the log
     */
    public FfmpegSupervisor(String name, List<String> command, Path log, Supplier<Consumer<String>> stdout) {
        this.name = name;
        this.command = withParentDeathSignal(List.copyOf(command));
        this.log = log;
        this.stdout = stdout;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ffmpeg-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code setpriv --pdeathsig KILL -- command...} where setpriv exists, else the command as it is. */
    static List<String> withParentDeathSignal(List<String> command) {
        if (!Files.isExecutable(SETPRIV)) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        out.addAll(command);
        return List.copyOf(out);
    }

    /** Starts the first run (at once, on the supervisor's thread); nothing when already closed. */
    public FfmpegSupervisor start() {
        if (!stopped) {
            try {
                timer.execute(this::launch);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed meanwhile
            }
        }
        return this;
    }

    /** Completes once {@link #close} has ended the process (at most about two seconds after it). */
    public java.util.concurrent.CompletableFuture<Void> terminated() {
        return terminated;
    }

    public boolean running() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The current (or last) process's pid; -1 before the first start. */
    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    /** Processes started after the first one (each exit is followed by one, until stopped). */
    public int restarts() {
        return Math.max(0, starts - 1);
    }

    public Path log() {
        return log;
    }

    private void launch() {
        if (stopped) {
            return;
        }
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            Consumer<String> lines = null;
            if (stdout == null) {
                pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            } else {
                pb.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
                lines = stdout.get();
            }
            Process p = pb.start();
            process = p;
            starts++;
            if (stopped) {
                p.destroy(); // closed while it started; close() has looked at the process before this one
            }
            startedAt = System.nanoTime();
            if (lines != null) {
                read(p.getInputStream(), lines);
            }
            p.onExit().thenRun(() -> exited(p));
        } catch (IOException | RuntimeException e) {
            // Caught whatever it is: a task that throws would end this thread, and with it the
            // parent-death signal of every ffmpeg it started.
            LOG.warn("{}: cannot start ffmpeg: {}", name, e.toString());
            retry();
        }
    }

    /** Feeds one process's stdout to its consumer until the process closes it. */
    private void read(InputStream in, Consumer<String> lines) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.accept(line);
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("{}: stdout reader ended: {}", name, e.toString());
            }
        }, "ffmpeg-" + name + "-out");
        t.setDaemon(true);
        t.start();
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
        try {
            timer.schedule(this::launch, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /**
     * Stops for good: SIGTERM (ffmpeg closes its SRT outputs, so the origin sees its publishers leave
     * at once), SIGKILL if it is still there after two seconds. The timer thread ends only after the
     * process did: its end would deliver the parent-death SIGKILL early.
     */
    @Override
    public void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        timer.execute(() -> {
            Process p = process;
            if (p == null || !p.isAlive()) {
                timer.shutdownNow();
                terminated.complete(null);
                return;
            }
            p.destroy();
            p.onExit().orTimeout(STOP_GRACE_MS, TimeUnit.MILLISECONDS).whenComplete((done, timedOut) -> {
                if (timedOut != null) {
                    p.destroyForcibly();
                }
                timer.shutdownNow();
                terminated.complete(null);
            });
        });
    }
}
