package dev.cascade.node.manager;

import dev.cascade.node.manager.ManagerMessages.NodeStream;
import java.util.List;

/**
 * What the node reports in a heartbeat, sampled on the SRT loop thread and handed to the manager
 * client's thread as an immutable value.
 *
 * @param streamCount every stream on the node, even past the {@code streams} list's cap
 * @param truncated   {@code streams} was cut at the heartbeat schema's maxItems
 */
public record NodeReport(double mbpsIn, double mbpsOut, int publishers, int subscribers, int streamCount,
                         List<NodeStream> streams, boolean truncated) {
    public NodeReport {
        streams = List.copyOf(streams);
    }
}
