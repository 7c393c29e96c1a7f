package dev.cascade.manager.scale;

import dev.cascade.cloud.ApplyException;
import dev.cascade.cloud.ApplyResult;
import dev.cascade.cloud.CloudController;
import dev.cascade.cloud.Deployment;
import dev.cascade.cloud.NodeInstance;
import dev.cascade.cloud.NodeSpec;
import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.CloudHealth;
import dev.cascade.manager.state.DeploymentRecord;
import dev.cascade.manager.state.DeploymentRecord.DeployedNode;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.Processors;
import dev.cascade.manager.state.ScaleDecision.Action;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies deployments whose desired generation is ahead of the applied one, each with the
 * {@link CloudController} (Terraform) on a worker thread: never two at once for one deployment here
 * (and the controller's file lock keeps two members on one machine apart). A success records the
 * nodes' addresses and TERMINATES the nodes it destroyed; a failure keeps the cloud's last good
 * state, records Terraform's diagnostics on the deployment and as a decision, marks the cloud failing
 * for {@code autoscaler.cloudRetryMs}, and hands the nodes it could not start to the next cloud
 * ({@link Autoscaler#failover}). A failed generation is tried again after the same delay.
 */
public final class Provisioner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);

    private final StreamManager m;
    private final CloudController controller;
    private final String notConfigured;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "provisioner");
        t.setDaemon(true);
        return t;
    });
    private Autoscaler autoscaler;

    /** @param notConfigured why no cloud can be used (null when {@code controller} is set) */
    public Provisioner(StreamManager m, CloudController controller, String notConfigured) {
        this.m = m;
        this.controller = controller;
        this.notConfigured = notConfigured;
    }

    /** Whether nodes can be started at all (a modules directory is configured). */
    public boolean configured() {
        return controller != null;
    }

    public String notConfigured() {
        return notConfigured;
    }

    void bind(Autoscaler a) {
        this.autoscaler = a;
    }

    void reconcile(Instant now) {
        long retryMs = m.config.autoscaler().cloudRetryMs();
        for (DeploymentRecord d : m.state.deployments.values()) {
            if (d.generation() <= d.appliedGeneration() || inFlight.contains(d.key())) {
                continue;
            }
            if ("FAILED".equals(d.status()) && d.failedAt() != null && now.isBefore(d.failedAt().plusMillis(retryMs))
                    && d.updatedAt().equals(d.failedAt())) {
                continue; // nothing changed since it failed: wait for the retry time
            }
            inFlight.add(d.key());
            change(d, new DeploymentRecord.Applying(d.generation(), "applying generation " + d.generation(), now));
            pool.execute(() -> {
                try {
                    apply(d);
                } catch (RuntimeException e) {
                    LOG.error("applying {} failed unexpectedly", d.key(), e);
                } finally {
                    inFlight.remove(d.key());
                }
            });
        }
    }

    private void apply(DeploymentRecord d) {
        List<NodeSpec> specs = new ArrayList<>();
        for (DeployedNode n : d.nodes()) {
            specs.add(new NodeSpec(n.id(), n.role().wireName(), n.cloudRegion(), n.size(), nodeConfig(n)));
        }
        long started = System.nanoTime();
        if (controller == null) {
            failed(d, notConfigured, "", 0, started);
            return;
        }
        LOG.info("applying {} generation {}: {} nodes", d.key(), d.generation(), specs.size());
        try {
            ApplyResult r = controller.apply(new Deployment(d.group(), d.cloud(), specs), (name, cloud, phase, message) ->
                    LOG.debug("{}/{} {}: {}", name, cloud, phase, message));
            Instant now = Instant.now();
            Map<String, String> addresses = new HashMap<>();
            for (NodeInstance i : r.nodes()) {
                addresses.put(i.id(), i.address());
            }
            long ms = r.took().toMillis();
            change(d, new DeploymentRecord.Applied(d.generation(), addresses, r.attempts(), ms, now));
            for (String id : d.removing()) {
                m.state.nodes.executeOnKey(id, new Processors.Terminated(now));
            }
            // Only an apply that started nodes shows the cloud works again; one that only took nodes
            // away (the revert after a failure) does not.
            boolean created = d.nodes().stream().anyMatch(n -> {
                var rec = m.nodes.get(n.id());
                return rec != null && rec.state() == dev.cascade.manager.state.NodeState.REQUESTED;
            });
            CloudHealth h = m.state.clouds.get(d.cloud());
            if (created && h != null && h.failingUntil() != null) {
                m.state.clouds.executeOnKey(d.cloud(), new Processors.ChangeCloud(d.cloud(), null, null, null, true));
            }
            m.metrics.apply(d.cloud(), "ok", ms);
            Set<String> before = new HashSet<>(d.removing());
            autoscaler.decide(now, d.group(), "", d.cloud(), Action.APPLIED, d.nodes().size() + before.size(),
                    d.nodes().size(), d.nodes().stream().map(DeployedNode::id).toList(),
                    "generation " + d.generation() + " applied in " + ms + " ms (" + r.attempts() + " attempt"
                            + (r.attempts() == 1 ? "" : "s") + "): " + d.nodes().size() + " nodes"
                            + (before.isEmpty() ? "" : ", destroyed " + String.join(", ", before)));
        } catch (ApplyException e) {
            failed(d, e.phase() + " failed (exit " + e.exitCode() + "): " + e.getMessage(), e.output(), e.attempts(), started);
        } catch (IllegalArgumentException e) {
            // The cloud controller refused the deployment before running anything (no image for the
            // cloud, no module for it): as much a failed cloud as a failed apply.
            failed(d, "refused by the cloud controller: " + e.getMessage(), "", 0, started);
        }
    }

    /**
     * What a node is told on top of the module's own settings (id, role, region, cloud, group, manager
     * URLs and token, ports): its rule's capacity (a transcoder's {@code maxJobs} as {@code transcoder.maxJobs}).
     */
    private static Map<String, String> nodeConfig(DeployedNode n) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CASCADE_NODE_CAPACITY_MAX_SUBSCRIBERS", Integer.toString(n.capacity().maxSubscribers()));
        env.put("CASCADE_NODE_CAPACITY_MAX_PUBLISHERS", Integer.toString(n.capacity().maxPublishers()));
        env.put("CASCADE_NODE_CAPACITY_MAX_MBPS_OUT", Long.toString(Math.round(n.capacity().maxMbpsOut())));
        if (n.role() == NodeRole.TRANSCODER && n.capacity().maxJobs() > 0) {
            // A transcoder's capacity is its own setting: it runs at most that many ladders and says so at registration.
            env.put("CASCADE_TRANSCODER_MAX_JOBS", Integer.toString(n.capacity().maxJobs()));
        }
        return env;
    }

    private void failed(DeploymentRecord d, String message, String output, int attempts, long started) {
        Instant now = Instant.now();
        long ms = (System.nanoTime() - started) / 1_000_000;
        LOG.warn("applying {} generation {} failed: {}\n{}", d.key(), d.generation(), message, output);
        change(d, new DeploymentRecord.Failed(d.generation(), message, output, attempts, now));
        Instant until = now.plusMillis(m.config.autoscaler().cloudRetryMs());
        m.state.clouds.executeOnKey(d.cloud(), new Processors.ChangeCloud(d.cloud(), null, until, message, false));
        m.metrics.apply(d.cloud(), "failed", ms);
        autoscaler.decide(now, d.group(), "", d.cloud(), Action.APPLY_FAILED, d.nodes().size(), d.nodes().size(),
                List.of(), message + (output.isBlank() ? "" : " | " + Autoscaler.firstLine(output.strip())));
        Set<String> failing = new HashSet<>();
        for (CloudHealth h : m.state.clouds.values()) {
            if (h.failing(now)) {
                failing.add(h.cloud());
            }
        }
        failing.add(d.cloud());
        DeploymentRecord current = m.state.deployments.get(d.key());
        autoscaler.failover(current != null ? current : d, failing, now);
    }

    private void change(DeploymentRecord d, DeploymentRecord.Change c) {
        m.state.deployments.executeOnKey(d.key(), new Processors.ChangeDeployment(d.group(), d.cloud(), c, Instant.now()));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
