package dev.cascade.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What every benchmark shares: where things live, progress output, child processes that must not
 * outlive the run, the test media (made once with ffmpeg and cached), and the three outputs of a
 * run (JSON, PNG, a line in {@code bench/results/README.md}).
 */
final class Bench {
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long T0 = System.nanoTime();
    private static final List<Process> CHILDREN = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Bench::killChildren, "bench-cleanup"));
    }

    private Bench() {}

    /** The repository root (bench/run passes it; else the working directory). */
    static Path root() {
        return Path.of(System.getProperty("cascade.root", ".")).toAbsolutePath().normalize();
    }

    static Path results() throws IOException {
        return Files.createDirectories(root().resolve("bench/results"));
    }

    static Path tmp() throws IOException {
        return Files.createDirectories(root().resolve("bench/results/tmp"));
    }

    static Path logs() throws IOException {
        return Files.createDirectories(tmp().resolve("logs"));
    }

    /** The command line to record in the results table. */
    static String command(String fallback) {
        return System.getProperty("bench.command", fallback);
    }

    static void log(String fmt, Object... args) {
        double s = (System.nanoTime() - T0) / 1e9;
        System.out.printf(Locale.ROOT, "[bench %6.1fs] %s%n", s, String.format(Locale.ROOT, fmt, args));
        System.out.flush();
    }

    static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    // ---------------------------------------------------------------- child processes

    /** Starts a process whose output goes to {@code log}; it is killed when the JVM exits. */
    static Process start(List<String> cmd, Path log) throws IOException {
        return start(cmd, log, Map.of());
    }

    /** The same, with {@code env} added to this process's environment. */
    static Process start(List<String> cmd, Path log, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        CHILDREN.add(p);
        return p;
    }

    /** A process started elsewhere (its output read by the caller) that must not outlive the run either. */
    static Process track(Process p) {
        CHILDREN.add(p);
        return p;
    }

    /** Every sample of a Prometheus text exposition, by its full name with labels ({@code x_total{a="b",}}). */
    static Map<String, Double> prometheusSamples(String body) {
        Map<String, Double> out = new java.util.HashMap<>();
        for (String line : body.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            try {
                out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            } catch (NumberFormatException e) {
                // NaN and friends: skip
            }
        }
        return out;
    }

    static void stop(Process p) {
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        CHILDREN.remove(p);
    }

    static void killChildren() {
        for (Process p : CHILDREN) {
            p.destroy();
        }
        for (Process p : CHILDREN) {
            try {
                if (!p.waitFor(3, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        CHILDREN.clear();
    }

    /** Runs a short command to completion and returns its stdout (empty on failure). */
    static String run(long timeoutSeconds, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "";
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).trim() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---------------------------------------------------------------- media

    /**
     * Makes a test TS with ffmpeg once and caches it under bench/results/tmp/ (the name encodes the
     * settings, so a change of settings makes a new file).
     */
    static Path media(String name, List<String> ffmpegArgs) throws IOException, InterruptedException {
        Path f = tmp().resolve(name);
        if (Files.exists(f) && Files.size(f) > 0) {
            return f;
        }
        Path part = tmp().resolve(name + ".part");
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
        cmd.addAll(ffmpegArgs);
        cmd.addAll(List.of("-f", "mpegts", part.toString()));
        log("making test media %s (once; cached in bench/results/tmp/)", name);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("ffmpeg failed to make " + f + ": " + String.join(" ", cmd));
        }
        Files.move(part, f, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return f;
    }

    // ---------------------------------------------------------------- results

    static String stamp(Instant t) {
        return STAMP.format(t);
    }

    /** Facts about this machine and checkout, recorded with every result. */
    static Map<String, Object> environment() {
        Map<String, Object> m = new LinkedHashMap<>();
        String commit = run(5, "git", "-C", root().toString(), "rev-parse", "--short=12", "HEAD");
        String dirty = run(5, "git", "-C", root().toString(), "status", "--porcelain", "--untracked-files=no");
        m.put("gitCommit", commit.isEmpty() ? "unknown" : commit);
        m.put("gitDirty", !dirty.isEmpty());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", cpuModel());
        m.put("kernel", run(5, "uname", "-r"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("libsrt", run(5, "dpkg-query", "-W", "-f=${Version}", "libsrt1.5-openssl"));
        m.put("srtTools", run(5, "dpkg-query", "-W", "-f=${Version}", "srt-tools"));
        m.put("loadAverageAtStart", loadAverage());
        return m;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    static void writeJson(Path file, Object value) throws IOException {
        JSON.writeValue(file.toFile(), value);
    }

    /** Runs gnuplot on a script; the script sets its own PNG output. */
    static void gnuplot(Path script) throws IOException, InterruptedException {
        Path log = logs().resolve(script.getFileName() + ".log");
        Process p = new ProcessBuilder("gnuplot", script.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("gnuplot failed on " + script + ": " + Files.readString(log));
        }
    }

    /** Appends one row to the results table in bench/results/README.md (creating it if needed). */
    static void appendResultRow(String benchmark, String command, String headline, Path json, Path png)
            throws IOException {
        Path readme = results().resolve("README.md");
        if (!Files.exists(readme)) {
            Files.writeString(readme, """
                    # Benchmark results

                    One row per run, newest last. Each run leaves `<name>-<UTC timestamp>.json` (every number,
                    the settings and the machine) and a PNG plot with the same name. How the benchmarks work and
                    how to read them: [../README.md](../README.md).

                    | when (UTC) | benchmark | command | headline | files |
                    |---|---|---|---|---|
                    """);
        }
        String when = json.getFileName().toString().replaceAll("^.*-(\\d{8}T\\d{6}Z)\\.json$", "$1");
        String row = "| " + when + " | " + benchmark + " | `" + command + "` | " + headline.replace("|", "/") + " | ["
                + json.getFileName() + "](" + json.getFileName() + "), [" + png.getFileName() + "](" + png.getFileName()
                + ") |\n";
        Files.writeString(readme, row, StandardOpenOption.APPEND);
    }

    /** Parses {@code --key value} options against defaults; unknown keys are errors. */
    static Map<String, String> options(String[] args, Map<String, String> defaults, String usage) {
        Map<String, String> o = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                System.out.println(usage);
                System.exit(0);
            }
            if (!a.startsWith("--") || i + 1 >= args.length || !o.containsKey(a.substring(2))) {
                System.err.println("unknown or incomplete option: " + a + "\n" + usage);
                System.exit(2);
            }
            o.put(a.substring(2), args[++i]);
        }
        return o;
    }
}
