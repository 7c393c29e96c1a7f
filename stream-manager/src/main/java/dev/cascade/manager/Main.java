package dev.cascade.manager;

import dev.cascade.config.ConfigException;
import dev.cascade.manager.config.ManagerConfig;
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

/** {@code cascade-manager}: runs one stream-manager member. */
@Command(name = "cascade-manager", mixinStandardHelpOptions = true, version = "cascade-manager 0.1.0",
        description = "Runs a Cascade stream manager: one member of the control plane's Hazelcast cluster.")
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    @Option(names = {"-c", "--config"}, description = "YAML file with the keys to change from the defaults")
    Path config;

    @Option(names = {"-s", "--set"}, description = "Override one key, e.g. --set http.port=8081")
    Map<String, String> overrides = new HashMap<>();

    @Option(names = "--print-config", description = "Print the effective configuration (secrets masked) and exit")
    boolean printConfig;

    public static void main(String[] args) {
        // Hazelcast completes its futures' callbacks on the common ForkJoinPool. On a 2-core machine
        // that pool has one thread, and Hazelcast then starts a new thread per callback: measured in
        // bench/run placement as 30-60% of a core spent on threads that had already exited.
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
                    Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
        }
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        ManagerConfig cfg;
        try {
            cfg = ManagerConfig.loader().load(config, System.getenv(), overrides);
        } catch (ConfigException e) {
            System.err.println("cascade-manager: configuration error: " + e.getMessage());
            return 2;
        }
        if (printConfig) {
            ManagerConfig shown = new ManagerConfig(cfg.http(), cfg.cluster(), cfg.nodes(), cfg.streams(), cfg.placement(),
                    new ManagerConfig.Security("(set)", "(set)"), cfg.api(), cfg.autoscaler(), cfg.cloud());
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).writeValueAsString(shown));
            return 0;
        }
        StreamManager manager;
        try {
            manager = new StreamManager(cfg);
        } catch (ConfigException e) {
            System.err.println("cascade-manager: configuration error: " + e.getMessage());
            return 2;
        }
        manager.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.info("stream manager ready: HTTP {} / cluster {}:{} ({} members)", cfg.http().port(),
                cfg.cluster().publicAddress(), cfg.cluster().port(),
                manager.state.hazelcast().getCluster().getMembers().size());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            manager.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
