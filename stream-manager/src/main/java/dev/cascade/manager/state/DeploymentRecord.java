package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes one node group wants on one cloud: the desired state of one Terraform deployment (one
 * working directory, one state). The autoscaler changes {@code nodes} and bumps {@code generation};
 * the provisioner applies a generation and records the outcome. {@code appliedGeneration <
 * generation} means an apply is due. {@code removing} are the nodes taken out since the last
 * applied generation: once an apply succeeds they are destroyed, and their records TERMINATED.
 *
 * @param status PENDING (an apply is due), APPLYING, APPLIED or FAILED (the last apply failed; the
 *               cloud keeps its last good state)
 * @param output Terraform's diagnostics of the last failed apply (kept after later successes, with
 *               {@code failedAt}, so a failure that was worked around stays visible)
 */
public record DeploymentRecord(String group, String cloud, List<DeployedNode> nodes, List<String> removing, long generation,
                               long appliedGeneration, String status, String message, String output, int attempts,
                               long lastApplyMs, Instant updatedAt, Instant appliedAt, Instant failedAt)
        implements Serializable {

    public DeploymentRecord {
        nodes = List.copyOf(nodes);
        removing = List.copyOf(removing);
    }

    public static String key(String group, String cloud) {
        return group + "/" + cloud;
    }

    public String key() {
        return key(group, cloud);
    }

    public static DeploymentRecord empty(String group, String cloud, Instant now) {
        return new DeploymentRecord(group, cloud, List.of(), List.of(), 0, 0, "APPLIED", "", "", 0, 0, now, null, null);
    }

    public DeployedNode node(String id) {
        for (DeployedNode n : nodes) {
            if (n.id().equals(id)) {
                return n;
            }
        }
        return null;
    }

    /** A node the group wants on this cloud: asked for at {@code requestedAt}, ready when it is INSERVICE. */
    public record DeployedNode(String id, NodeRole role, String region, String cloudRegion, String size,
                               Capacity capacity, Instant requestedAt, Instant readyAt, String address)
            implements Serializable {
        DeployedNode ready(Instant at) {
            return new DeployedNode(id, role, region, cloudRegion, size, capacity, requestedAt, at, address);
        }

        DeployedNode at(String addr) {
            return new DeployedNode(id, role, region, cloudRegion, size, capacity, requestedAt, readyAt, addr);
        }
    }

    /** A change to a deployment, applied by {@link Processors.ChangeDeployment} on the entry's owner. */
    public sealed interface Change extends Serializable {
        DeploymentRecord apply(DeploymentRecord d);
    }

    /**
     * Adds and removes nodes: a new generation to apply. Removed nodes are TERMINATED once it is
     * applied, unless {@code moved} (they went to another cloud: their records live on there).
     */
    public record Resize(List<DeployedNode> add, Set<String> remove, boolean moved, Instant now) implements Change {
        public Resize(List<DeployedNode> add, Set<String> remove, Instant now) {
            this(add, remove, false, now);
        }

        @Override
        public DeploymentRecord apply(DeploymentRecord d) {
            List<DeployedNode> next = new ArrayList<>();
            List<String> gone = new ArrayList<>(d.removing);
            for (DeployedNode n : d.nodes) {
                if (!remove.contains(n.id())) {
                    next.add(n);
                } else if (!moved && !gone.contains(n.id())) {
                    gone.add(n.id());
                }
            }
            for (DeployedNode n : add) {
                if (d.node(n.id()) == null) {
                    next.add(n);
                }
            }
            return new DeploymentRecord(d.group, d.cloud, next, gone, d.generation + 1, d.appliedGeneration, "PENDING",
                    d.message, d.output, d.attempts, d.lastApplyMs, now, d.appliedAt, d.failedAt);
        }
    }

    /** The provisioner started applying {@code generation}. */
    public record Applying(long generation, String message, Instant now) implements Change {
        @Override
        public DeploymentRecord apply(DeploymentRecord d) {
            return new DeploymentRecord(d.group, d.cloud, d.nodes, d.removing, d.generation, d.appliedGeneration, "APPLYING",
                    message, d.output, d.attempts, d.lastApplyMs, now, d.appliedAt, d.failedAt);
        }
    }

    /** {@code generation} is applied: the cloud runs exactly its nodes, at these addresses. */
    public record Applied(long generation, Map<String, String> addresses, int attempts, long tookMs, Instant now)
            implements Change {
        @Override
        public DeploymentRecord apply(DeploymentRecord d) {
            List<DeployedNode> next = new ArrayList<>();
            for (DeployedNode n : d.nodes) {
                String a = addresses.get(n.id());
                next.add(a != null ? n.at(a) : n);
            }
            boolean current = generation >= d.generation;
            return new DeploymentRecord(d.group, d.cloud, next, current ? List.of() : d.removing, d.generation, Math.max(d.appliedGeneration, generation),
                    current ? "APPLIED" : "PENDING", "applied generation " + generation, d.output, attempts, tookMs, now,
                    now, d.failedAt);
        }
    }

    /** Applying {@code generation} failed after its retries; {@code output} is Terraform's diagnostics. */
    public record Failed(long generation, String message, String output, int attempts, Instant now) implements Change {
        @Override
        public DeploymentRecord apply(DeploymentRecord d) {
            return new DeploymentRecord(d.group, d.cloud, d.nodes, d.removing, d.generation, d.appliedGeneration, "FAILED", message,
                    output, attempts, d.lastApplyMs, now, d.appliedAt, now);
        }
    }

    /** A node of this deployment reached INSERVICE at {@code at} (its boot time is measured from it). */
    public record Ready(String id, Instant at) implements Change {
        @Override
        public DeploymentRecord apply(DeploymentRecord d) {
            List<DeployedNode> next = new ArrayList<>();
            for (DeployedNode n : d.nodes) {
                next.add(n.id().equals(id) && n.readyAt() == null ? n.ready(at) : n);
            }
            return new DeploymentRecord(d.group, d.cloud, next, d.removing, d.generation, d.appliedGeneration, d.status, d.message,
                    d.output, d.attempts, d.lastApplyMs, d.updatedAt, d.appliedAt, d.failedAt);
        }
    }
}
