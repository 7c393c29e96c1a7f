package dev.cascade.manager.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real cascade-manager JVM (its own Hazelcast member), started the way ./cascade up starts one. */
public final class ManagerProcess implements AutoCloseable {
    public static final String JOIN_TOKEN = "it-join-token-0123456789";
    public static final String ADMIN_KEY = "it-admin-key-0123456789";

    public final int httpPort;
    public final int clusterPort;
    public final Path log;
    public final Http http;
    private final Process process;

    private ManagerProcess(int httpPort, int clusterPort, Path log, Process process) {
        this.httpPort = httpPort;
        this.clusterPort = clusterPort;
        this.log = log;
        this.process = process;
        this.http = new Http("http://127.0.0.1:" + httpPort);
    }

    /** The classpath of the stream manager (target/classes + target/lib), for this and other modules' tests. */
    public static String classpath() {
        String cp = System.getProperty("cascade.manager.classpath");
        if (cp == null) {
            throw new IllegalStateException("system property cascade.manager.classpath not set (run through failsafe)");
        }
        return cp + ":" + Path.of(cp).getParent().resolve("lib") + "/*";
    }

    /** Starts a member that joins {@code members} (host:port list; may include its own port). */
    public static ManagerProcess start(String name, int httpPort, int clusterPort, String members, Map<String, String> sets)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath(), "dev.cascade.manager.Main",
                "--set", "http.port=" + httpPort, "--set", "http.bindAddress=127.0.0.1",
                "--set", "http.eventLoops=1",
                "--set", "cluster.port=" + clusterPort, "--set", "cluster.members=" + members,
                "--set", "security.joinToken=" + JOIN_TOKEN, "--set", "security.adminKey=" + ADMIN_KEY));
        sets.forEach((k, v) -> cmd.addAll(List.of("--set", k + "=" + v)));
        Path logDir = Path.of(System.getProperty("cascade.manager.classpath")).getParent().resolve("it-logs");
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ManagerProcess m = new ManagerProcess(httpPort, clusterPort, log, p);
        m.awaitHealthy();
        return m;
    }

    public static ManagerProcess startAlone(String name, Map<String, String> sets) throws IOException {
        int cluster = freePort();
        return start(name, freePort(), cluster, "127.0.0.1:" + cluster, sets);
    }

    private void awaitHealthy() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("stream manager exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (http.get("/healthz", null).status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            sleep(100);
        }
        throw new IllegalStateException("stream manager not healthy in 60 s:\n" + Files.readString(log));
    }

    public String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** kill -9: no goodbye to the other members. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
