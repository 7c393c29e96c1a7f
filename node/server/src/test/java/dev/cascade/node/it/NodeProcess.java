package dev.cascade.node.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real cascade-node JVM process, started the way ./cascade up starts one. */
public final class NodeProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public final String role;
    public final int srtPort;
    public final int httpPort;
    public final Path log;
    /** Where the test harness and web pages live (clients/ of the checkout). */
    public static final Path CLIENTS = Path.of(System.getProperty("cascade.node.classpath")).getParent()
            .getParent().getParent().getParent().resolve("clients");
    private final Process process;

    private NodeProcess(String role, int srtPort, int httpPort, Path log, Process process) {
        this.role = role;
        this.srtPort = srtPort;
        this.httpPort = httpPort;
        this.log = log;
        this.process = process;
    }

    public static NodeProcess start(String role, int srtPort, int httpPort, int upstreamPort, Map<String, String> sets)
            throws IOException {
        String cp = System.getProperty("cascade.node.classpath");
        if (cp == null) {
            throw new IllegalStateException("system property cascade.node.classpath not set (run through failsafe)");
        }
        Path target = Path.of(cp).getParent();
        String classpath = cp + ":" + target.resolve("lib") + "/*";
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, "dev.cascade.node.Main", "--role", role,
                "--set", "srt.port=" + srtPort, "--set", "http.port=" + httpPort, "--set", "http.bindAddress=127.0.0.1",
                "--set", "node.id=" + role + "-" + srtPort, "--set", "webrtc.port=" + Ports.free()));
        if (upstreamPort > 0) {
            cmd.addAll(List.of("--set", "upstream.port=" + upstreamPort));
        }
        sets.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        Path logDir = target.resolve("it-logs");
        Files.createDirectories(logDir);
        Path log = logDir.resolve(role + "-" + srtPort + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        NodeProcess node = new NodeProcess(role, srtPort, httpPort, log, p);
        node.awaitHealthy();
        return node;
    }

    private void awaitHealthy() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(role + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (get("/healthz").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IllegalStateException(role + " not healthy in 30 s:\n" + Files.readString(log));
    }

    public HttpResponse<String> get(String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    public Metrics metrics() throws IOException {
        return Metrics.parse(get("/metrics").body());
    }

    /** The stream's state from {@code /api/v1/streams} (STARTING, LIVE, IDLE), or null when absent. */
    public String streamState(String key) throws IOException {
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/api/v1/streams").body());
        for (var s : root.get("streams")) {
            if (key.equals(s.get("stream").asText())) {
                return s.get("state").asText();
            }
        }
        return null;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
