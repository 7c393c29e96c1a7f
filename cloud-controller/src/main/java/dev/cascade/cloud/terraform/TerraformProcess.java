package dev.cascade.cloud.terraform;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@code terraform} command in a working directory and hands its output lines to the caller.
 *
 * <p>Two threads read stdout and stderr into a queue; the consumers run on the calling thread, in the order the
 * lines arrived, so they need no locking and progress events reach the caller's listener on the caller's thread.
 * When the time runs out, or the calling thread is interrupted, the whole process tree is stopped: Terraform first
 * gets SIGTERM (it then stops its operations and writes its state), and after {@link #GRACE} every process of
 * the tree that is left, provider plugins and provisioner shells included, gets SIGKILL.
 */
public final class TerraformProcess {
    private static final Logger LOG = LoggerFactory.getLogger(TerraformProcess.class);
    /** How long Terraform gets to stop on SIGTERM before its tree is killed. */
    public static final Duration GRACE = Duration.ofSeconds(5);
    /** How long to wait for the output streams to end once Terraform has exited (a stray child may hold them). */
    private static final long DRAIN_NANOS = Duration.ofSeconds(2).toNanos();
    private static final long POLL_MS = 100;

    /**
     * @param exitCode the exit code, -1 when the run timed out
     * @param timedOut true when the deadline passed and the tree was stopped
     */
    public record Result(int exitCode, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    private record Line(boolean err, String text) {
    }

    private static final Line EOF = new Line(false, null);

    private TerraformProcess() {
    }

    /**
     * Runs the command and waits for it.
     *
     * @param timeout how long it may run
     * @throws IOException          when the program cannot be started
     * @throws InterruptedException when the calling thread was interrupted (the tree has been stopped)
     */
    public static Result run(List<String> command, Path dir, Map<String, String> env, Duration timeout,
                             Consumer<String> stdout, Consumer<String> stderr) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        LOG.debug("running {} in {}", command, dir);
        Process p = pb.start();
        BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        pump(p.getInputStream(), false, lines, "terraform-out-" + p.pid());
        pump(p.getErrorStream(), true, lines, "terraform-err-" + p.pid());

        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        long exitedAt = 0;
        int open = 2;
        boolean timedOut = false;
        try {
            while (open > 0) {
                Line l = lines.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (l == EOF) {
                    open--;
                } else if (l != null) {
                    deliver(l, stdout, stderr);
                }
                long now = System.nanoTime();
                if (!timedOut && now - deadline >= 0 && p.isAlive()) {
                    timedOut = true;
                    LOG.warn("terraform {} in {} ran out of its {} ms: stopping its process tree",
                            command.size() > 1 ? command.get(1) : "", dir, timeout.toMillis());
                    stopTree(p);
                }
                if (exitedAt == 0 && !p.isAlive()) {
                    exitedAt = now;
                }
                if (exitedAt != 0 && now - exitedAt > DRAIN_NANOS && open > 0) {
                    // A process Terraform started still holds the pipe open; stop reading rather than wait for it.
                    LOG.debug("terraform output still open {} ms after it exited; no longer read",
                            (now - exitedAt) / 1_000_000);
                    closeQuietly(p);
                    break;
                }
            }
            p.waitFor();
        } catch (InterruptedException e) {
            stopTree(p);
            closeQuietly(p);
            throw e;
        }
        // Lines read after the last poll.
        for (Line l; (l = lines.poll()) != null; ) {
            if (l != EOF) {
                deliver(l, stdout, stderr);
            }
        }
        return new Result(timedOut ? -1 : p.exitValue(), timedOut);
    }

    /** SIGTERM to Terraform, then after the grace period SIGKILL to whatever is left of its tree. */
    static void stopTree(Process p) {
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        p.destroy();
        boolean exited = false;
        boolean interrupted = false;
        try {
            exited = p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        // Children Terraform started after the first look (a provisioner's shell, its children).
        p.descendants().forEach(tree::add);
        for (ProcessHandle h : tree) {
            if (h.isAlive()) {
                h.destroyForcibly();
            }
        }
        if (!exited) {
            p.destroyForcibly();
            try {
                p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deliver(Line l, Consumer<String> stdout, Consumer<String> stderr) {
        try {
            (l.err() ? stderr : stdout).accept(l.text());
        } catch (RuntimeException e) {
            LOG.warn("terraform output consumer failed on a line: {}", e.toString());
        }
    }

    private static void pump(InputStream in, boolean err, BlockingQueue<Line> lines, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(new Line(err, line));
                }
            } catch (IOException e) {
                // closed under us: the run is over
            } finally {
                lines.add(EOF);
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Process p) {
        try {
            p.getInputStream().close();
        } catch (IOException ignored) {
            // nothing more to read
        }
        try {
            p.getErrorStream().close();
        } catch (IOException ignored) {
            // nothing more to read
        }
    }
}
