package dev.cascade.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cascade-node process, started exactly as {@code ./cascade up} starts one (same classpath, no
 * extra JVM flags), on free loopback ports.
 */
final class CascadeNode implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String role;
    final int srtPort;
    final int httpPort;
    final Path log;
    final List<String> command;
    private final Process process;

    private CascadeNode(String role, int srtPort, int httpPort, Path log, List<String> command, Process process) {
        this.role = role;
        this.srtPort = srtPort;
        this.httpPort = httpPort;
        this.log = log;
        this.command = command;
        this.process = process;
    }

    /** Starts a node and waits until /healthz answers; {@code upstreamSrtPort} 0 for an origin. */
    static CascadeNode start(String role, int upstreamSrtPort, String tag) throws IOException {
        return start(role, upstreamSrtPort, tag, List.of());
    }

    static CascadeNode start(String role, int upstreamSrtPort, String tag, List<String> extraSets) throws IOException {
        return start(role, upstreamSrtPort, tag, extraSets, List.of());
    }

    /** @param prefix words before {@code java} (e.g. {@code taskset -c 1} to pin the node to a CPU) */
    static CascadeNode start(String role, int upstreamSrtPort, String tag, List<String> extraSets, List<String> prefix)
            throws IOException {
        Path classes = Bench.root().resolve("node/server/target/classes");
        if (!Files.isDirectory(classes)) {
            throw new IllegalStateException("node not built: " + classes + " missing (run mvn -DskipTests package)");
        }
        return start(classes + ":" + Bench.root().resolve("node/server/target/lib") + "/*", role, upstreamSrtPort, tag,
                extraSets, prefix);
    }

    /** The same from another build of the node ({@code classpath}: e.g. a copy from {@link Builds#snapshot}). */
    static CascadeNode start(String classpath, String role, int upstreamSrtPort, String tag, List<String> extraSets,
                             List<String> prefix) throws IOException {
        int srt = Ports.free();
        int http = Ports.free();
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath,
                "dev.cascade.node.Main", "--role", role,
                "--set", "srt.port=" + srt, "--set", "srt.bindAddress=127.0.0.1",
                "--set", "http.port=" + http, "--set", "http.bindAddress=127.0.0.1",
                "--set", "node.id=bench-" + role + "-" + srt, "--set", "webrtc.port=" + Ports.free(),
                "--set", "webrtc.bindAddress=127.0.0.1"));
        if (upstreamSrtPort > 0) {
            cmd.addAll(List.of("--set", "upstream.host=127.0.0.1", "--set", "upstream.port=" + upstreamSrtPort));
        }
        for (String set : extraSets) {
            cmd.addAll(List.of("--set", set));
        }
        Path log = Bench.logs().resolve(tag + "-" + role + ".log");
        Process p = Bench.start(cmd, log);
        CascadeNode node = new CascadeNode(role, srt, http, log, cmd, p);
        node.awaitHealthy();
        return node;
    }

    private void awaitHealthy() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(role + " exited with " + process.exitValue() + "; log " + log + ":\n"
                        + Files.readString(log));
            }
            try {
                if (get("/healthz").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Bench.sleep(100);
        }
        throw new IllegalStateException(role + " not healthy in 30 s; log " + log);
    }

    HttpResponse<String> get(String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Every series of /metrics summed by metric name (labels dropped). */
    Map<String, Double> metricTotals() throws IOException {
        Map<String, Double> out = new HashMap<>();
        Bench.prometheusSamples(get("/metrics").body()).forEach((sample, value) -> {
            int brace = sample.indexOf('{');
            out.merge(brace >= 0 ? sample.substring(0, brace) : sample, value, Double::sum);
        });
        return out;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String commandLine() {
        return String.join(" ", command);
    }

    @Override
    public void close() {
        Bench.stop(process);
    }
}
