package dev.cascade.node;

import dev.cascade.config.ConfigException;
import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.egress.whep.WhepDrain;
import dev.cascade.node.egress.whep.WhepEvents;
import dev.cascade.node.http.NodeHttpServer;
import dev.cascade.node.ingest.relay.StaticUpstream;
import dev.cascade.node.ingest.relay.UpstreamResolver;
import dev.cascade.node.manager.ManagerApi;
import dev.cascade.node.manager.ManagerClient;
import dev.cascade.node.manager.ManagerMessages;
import dev.cascade.node.manager.ManagerLadders;
import dev.cascade.node.manager.ManagerPlacements;
import dev.cascade.node.manager.ManagerRoutes;
import dev.cascade.node.manager.NodeReporter;
import dev.cascade.node.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cascade-node}: runs one media server process. */
@Command(name = "cascade-node", mixinStandardHelpOptions = true, version = "cascade-node 0.1.0",
        description = "Runs a Cascade media node (origin, relay or edge) or an ABR transcoder.")
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    static final long SHUTDOWN_GRACE_MS = 3000;

    /** libc's {@code _exit(2)}: ends the process without running atexit handlers. */
    interface LibC extends com.sun.jna.Library {
        LibC INSTANCE = com.sun.jna.Native.load("c", LibC.class);

        void _exit(int status);
    }

    @Option(names = {"-r", "--role"}, description = "origin, relay, edge or transcoder (same as --set node.role=...)")
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
            cfg = NodeConfig.loader().load(config, System.getenv(), sets);
        } catch (ConfigException e) {
            System.err.println("cascade-node: configuration error: " + e.getMessage());
            return 2;
        }
        if (printConfig) {
            System.out.println(new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory()).writeValueAsString(cfg.redacted()));
            return 0;
        }
        if (cfg.node().role() == dev.cascade.node.config.NodeRole.TRANSCODER) {
            // No media server: ffmpeg processes the stream manager assigns (dev.cascade.node.transcode).
            return dev.cascade.node.transcode.TranscoderNode.run(cfg);
        }
        Vertx vertx = Vertx.vertx();
        NodeMetrics metrics = new NodeMetrics(cfg);
        // With a stream manager, one HTTP link to it carries both the membership and the routes, so a
        // failover found by one is used by the other.
        ManagerApi managerApi = cfg.managed()
                ? new ManagerApi(vertx, cfg.managerUrls(), cfg.manager().joinToken(), cfg.manager().requestTimeoutMs(), metrics)
                : null;
        UpstreamResolver upstreams = managerApi != null ? new ManagerRoutes(managerApi, cfg.nodeId())
                : new StaticUpstream(cfg.upstream().host(), cfg.upstreamPort());
        MediaNode node = new MediaNode(cfg, metrics, upstreams);
        node.start();
        // WHEP's server-sent events (reconnect, viewercount) on edges.
        WhepEvents events = node.whep() == null ? null : new WhepEvents(vertx, node.whep()::viewerCounts);
        if (events != null) {
            node.whep().onSessionClosed(events::sessionClosed);
            node.whep().onVariant((sessionId, data) -> events.send(sessionId, "variant", data));
            if (managerApi != null) {
                node.whep().ladders(new ManagerLadders(managerApi, cfg.abr().lookupCacheMs()));
            }
        }
        ManagerClient manager = null;
        if (managerApi != null) {
            NodeReporter reporter = new NodeReporter(node);
            manager = new ManagerClient(managerApi, ManagerMessages.NodeRegistration.of(cfg),
                    () -> node.loop().submit(reporter::sample), ManagerClient::processCpuLoad, cfg.manager().retryMs());
            metrics.registerManager(manager::registered);
            metrics.registerDraining(node::draining);
            // DRAINING (an admin's drain, or the autoscaler's before it removes the node): an edge
            // refuses new viewers and tells its WHEP viewers where to go, at every heartbeat until none is left.
            WhepDrain drain = events == null ? null : new WhepDrain(node.whep().viewers(), events,
                    new ManagerPlacements(managerApi, cfg.node().region()), cfg.nodeId(), metrics);
            if (drain != null) {
                node.whep().onDeleted(drain::deleted);
            }
            manager.onNodeState(state -> {
                boolean draining = "DRAINING".equals(state);
                node.draining(draining);
                if (drain != null) {
                    drain.heartbeat(draining);
                }
            });
        }
        NodeHttpServer http = new NodeHttpServer(vertx, node, manager, events);
        http.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.info("{} node {} ready: SRT {} / HTTP {}", cfg.node().role().wireName(), cfg.nodeId(),
                cfg.srtPort(), cfg.httpPort());
        // Registered only now: the manager may send publishers and viewers here as soon as it answers.
        if (manager != null) {
            manager.start();
        }
        ManagerClient membership = manager;
        WhepEvents eventStreams = events;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            // Close politely (deregistered, SRT shutdown to peers, DELETE-able sessions ended), but never
            // let a stuck native call keep the process alive: halt after a bounded wait.
            Thread closer = new Thread(() -> {
                // Deregistration (bounded to a second) runs while the streams end, not before them.
                CompletableFuture<Void> deregistered = membership == null
                        ? CompletableFuture.completedFuture(null) : membership.stop();
                if (eventStreams != null) {
                    eventStreams.close(vertx);
                }
                node.close();
                try {
                    deregistered.get(ManagerClient.DEREGISTER_BUDGET_MS + 200, TimeUnit.MILLISECONDS);
                } catch (Exception e) {
                    LOG.warn("deregistration did not finish: {}", e.toString());
                } finally {
                    vertx.close();
                }
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
