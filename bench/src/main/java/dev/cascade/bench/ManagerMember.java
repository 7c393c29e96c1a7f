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
 * One stream-manager member (its own JVM and Hazelcast member), started the way {@code ./cascade up}
 * starts one ({@code java -cp classes:lib/* dev.cascade.manager.Main}) plus the JVM flags the
 * benchmark chooses, on loopback ports. The join token and admin key go through the environment
 * ({@code CASCADE_SM_SECURITY_*}), as {@code ./cascade up} passes them, so they stay out of {@code ps}.
 */
final class ManagerMember implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int httpPort;
    final int clusterPort;
    final Path log;
    final List<String> command;
    private final Process process;

    private ManagerMember(String name, int httpPort, int clusterPort, Path log, List<String> command, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.clusterPort = clusterPort;
        this.log = log;
        this.command = command;
        this.process = process;
    }

    /**
     * Starts a member and waits until /healthz answers.
     *
     * @param classpath the stream manager's classes and libraries
     * @param jvmArgs flags before {@code -cp} (heap, GC, JFR)
     * @param members {@code host:port} of every member's Hazelcast port, this one's included
     * @param sets {@code key=value} configuration overrides ({@code --set})
     * @param env extra environment (the secrets)
     */
    static ManagerMember start(String name, String classpath, List<String> jvmArgs, int httpPort, int clusterPort,
                               String members, List<String> sets, Map<String, String> env) throws IOException {
        return start(name, Bench.logs().resolve("placement-" + name + ".log"), classpath, jvmArgs, httpPort, clusterPort,
                members, sets, env);
    }

    /** The same, with its output in {@code log}. */
    static ManagerMember start(String name, Path log, String classpath, List<String> jvmArgs, int httpPort,
                               int clusterPort, String members, List<String> sets, Map<String, String> env)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", classpath, "dev.cascade.manager.Main",
                "--set", "http.port=" + httpPort, "--set", "http.bindAddress=127.0.0.1",
                "--set", "cluster.port=" + clusterPort, "--set", "cluster.members=" + members));
        for (String s : sets) {
            cmd.addAll(List.of("--set", s));
        }
        Process p = Bench.start(cmd, log, env);
        ManagerMember m = new ManagerMember(name, httpPort, clusterPort, log, cmd, p);
        m.awaitHealthy();
        return m;
    }

    private void awaitHealthy() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log " + log + ":\n"
                        + tail());
            }
            try {
                if (get("/healthz", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Bench.sleep(200);
        }
        throw new IllegalStateException(name + " not healthy in 90 s; log " + log + ":\n" + tail());
    }

    /** A random join token or admin key for one run ({@code prefix} + 32 hex digits). */
    static String secret(String prefix) {
        byte[] b = new byte[16];
        new java.security.SecureRandom().nextBytes(b);
        return prefix + java.util.HexFormat.of().formatHex(b);
    }

    String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    HttpResponse<String> get(String path, String bearer) throws IOException {
        return send("GET", path, bearer, null);
    }

    /** One call; {@code body} (JSON) may be null. */
    HttpResponse<String> send(String method, String path, String bearer, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("authorization", "Bearer " + bearer);
        }
        if (body != null) {
            b.header("content-type", "application/json");
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Members in the Hazelcast cluster as this member sees it (from /healthz). */
    int clusterSize() {
        try {
            String body = get("/healthz", null).body();
            return Bench.JSON.readTree(body).path("members").asInt();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Every sample of /metrics, by its full name with labels (e.g. {@code x_total{a="b",}}). */
    Map<String, Double> metrics() throws IOException {
        return Bench.prometheusSamples(get("/metrics", null).body());
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** The command line, for the results. */
    String commandLine() {
        return String.join(" ", command);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        Bench.stop(process);
    }
}
