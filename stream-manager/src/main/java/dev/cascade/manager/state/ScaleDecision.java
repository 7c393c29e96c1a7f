package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One thing the autoscaler decided or the provisioner did, with its reason: the audit trail shown by
 * {@code GET /api/v1/decisions} and the dashboard.
 *
 * @param rule  {@code role/region} of the node-group rule, or empty for a whole deployment
 * @param from  the rule's node count before (not counting draining nodes)
 * @param to    the count after
 * @param nodes the nodes concerned (started, drained, terminated, replaced, moved)
 */
public record ScaleDecision(Instant at, String group, String rule, String cloud, Action action, int from, int to,
                            List<String> nodes, String reason) implements Serializable {

    public ScaleDecision {
        nodes = List.copyOf(nodes);
    }

    public enum Action {
        /** Nodes asked for: load above the out-threshold, below min, or a scheduled event ahead. */
        SCALE_OUT,
        /** A node set DRAINING: load below the in-threshold (or above max). */
        DRAIN,
        /** A drained (or REQUESTED-and-gone) node removed from its deployment: Terraform destroys it. */
        TERMINATE,
        /** A FAILED node removed and a new one asked for. */
        REPLACE,
        /** A cloud's apply succeeded. */
        APPLIED,
        /** A cloud's apply failed after its retries; its cloud keeps its last good state. */
        APPLY_FAILED,
        /** Nodes a failing cloud could not start, asked of the next cloud of their rule. */
        FAILOVER,
        /** Wanted, but impossible (every cloud failing, max reached with load high). */
        BLOCKED
    }
}
