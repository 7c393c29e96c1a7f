package dev.cascade.node;

import dev.cascade.node.config.ConfigException;
import dev.cascade.node.config.ConfigLoader;
import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.http.NodeHttpServer;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cascade-node}: runs one media server process. */
@Command(name = "cascade-node", mixinStandardHelpOptions = true, version = "cascade-node 0.1.0",
        description = "Runs a Cascade media node (origin, relay or edge).")
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    static final long SHUTDOWN_GRACE_MS = 3000;

    /** libc's {@code _exit(2)}: ends the process without running atexit handlers. */
    interface LibC extends com.sun.jna.Library {
        LibC INSTANCE = com.sun.jna.Native.load("c", LibC.class);

        void _exit(int status);
    }

    @Option(names = {"-r", "--role"}, description = "origin, relay or edge (same as --set node.role=...)")
    String role;

    @Option(names = {"-c", "--config"}, description = "YAML file with the keys to change from the defaults")
    Path config;

    @Option(names = {"-s", "--set"}, description = "Override one key, e.g. --set srt.latencyMs=200")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--print-config", description = "Print the effective configuration and exit")
    boolean printConfig;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Map<String, String> sets = new HashMap<>(overrides);
        if (role != null) {
            sets.put("node.role", role);
        }
        NodeConfig cfg;
        try {
            cfg = new ConfigLoader().load(config, System.getenv(), sets);
        } catch (ConfigException e) {
            System.err.println("cascade-node: configuration error: " + e.getMessage());
            return 2;
        }
        if (printConfig) {
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).writeValueAsString(cfg));
            return 0;
        }
        MediaNode node = new MediaNode(cfg);
        node.start();
        Vertx vertx = Vertx.vertx();
        NodeHttpServer http = new NodeHttpServer(vertx, node);
        http.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.info("{} node {} ready: SRT {} / HTTP {}", cfg.node().role().wireName(), cfg.nodeId(),
                cfg.srtPort(), cfg.httpPort());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            // Close politely (SRT shutdown to peers, DELETE-able sessions ended), but never let a
            // stuck native call keep the process alive: halt after a bounded wait.
            Thread closer = new Thread(() -> {
                node.close();
                vertx.close();
            }, "closer");
            closer.setDaemon(true);
            closer.start();
            try {
                closer.join(SHUTDOWN_GRACE_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
            if (closer.isAlive()) {
                LOG.warn("shutdown took more than {} ms; stopping anyway", SHUTDOWN_GRACE_MS);
            }
            // Everything is closed. Leave with _exit: libsrt's static destructors, run by exit(),
            // wait on sockets closed moments ago and can hold the process for many seconds.
            LibC.INSTANCE._exit(0);
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
