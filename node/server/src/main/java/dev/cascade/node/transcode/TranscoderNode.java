package dev.cascade.node.transcode;

import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.manager.ManagerApi;
import dev.cascade.node.manager.ManagerClient;
import dev.cascade.node.manager.ManagerMessages;
import dev.cascade.node.metrics.NodeMetrics;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transcoder role ({@code --role transcoder}): no media server of its own, but a member of the
 * cluster like any node. It registers with the stream manager (SRT port 0, {@code capacity.maxJobs}),
 * heartbeats its jobs and load, and runs the jobs every heartbeat answer lists ({@link TranscodeRunner}).
 * A manager that cannot be reached changes nothing: the jobs keep running until an answer says otherwise.
 */
public final class TranscoderNode {
    private static final Logger LOG = LoggerFactory.getLogger(TranscoderNode.class);
    /** How long shutdown waits for the ffmpeg processes to close their outputs and the deregistration. */
    static final long SHUTDOWN_GRACE_MS = 3000;

    private TranscoderNode() {}

    /** Runs until the process is asked to stop. */
    public static int run(NodeConfig cfg) throws Exception {
        Vertx vertx = Vertx.vertx();
        NodeMetrics metrics = new NodeMetrics(cfg);
        TranscodeRunner runner = new TranscodeRunner(cfg.transcoder().maxJobs(), TranscodeRunner.ffmpeg(cfg),
                new TranscoderMetrics(metrics.registry()));
        TranscoderReporter reporter = new TranscoderReporter(runner);
        ManagerApi api = new ManagerApi(vertx, cfg.managerUrls(), cfg.manager().joinToken(),
                cfg.manager().requestTimeoutMs(), metrics);
        ManagerClient manager = new ManagerClient(api, ManagerMessages.NodeRegistration.of(cfg),
                () -> CompletableFuture.completedFuture(reporter.sample()), reporter::cpu, cfg.manager().retryMs());
        metrics.registerManager(manager::registered);
        boolean[] noJobsLogged = {false};
        manager.onHeartbeatAnswer(body -> {
            TranscodeJob.Parsed parsed = TranscodeJob.parse(body);
            if (parsed == null) {
                if (!noJobsLogged[0]) {
                    noJobsLogged[0] = true;
                    LOG.warn("the stream manager's heartbeat answers list no transcodes: it assigns no jobs (an older manager?)");
                }
                return;
            }
            parsed.refused().forEach(why -> LOG.warn("the stream manager gave a job that cannot run: {}", why));
            runner.reconcile(parsed.jobs());
        });
        TranscoderHttpServer http = new TranscoderHttpServer(vertx, cfg, metrics, manager, runner);
        http.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        LOG.info("transcoder {} ready: HTTP {}, at most {} jobs, GOP {} ms, Opus {} kbps", cfg.nodeId(), cfg.httpPort(),
                cfg.transcoder().maxJobs(), cfg.transcoder().gopMs(), cfg.transcoder().audioKbps());
        manager.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            CompletableFuture<Void> deregistered = manager.stop();
            CompletableFuture<Void> gone = runner.stopAll();
            try {
                CompletableFuture.allOf(deregistered, gone).get(SHUTDOWN_GRACE_MS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("shutdown took more than {} ms; stopping anyway ({})", SHUTDOWN_GRACE_MS, e.toString());
            }
            vertx.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
