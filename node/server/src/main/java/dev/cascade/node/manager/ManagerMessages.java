package dev.cascade.node.manager;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.config.NodeRole;
import java.util.List;

/**
 * The JSON bodies a node sends, named and shaped as the schemas of the same names in the stream
 * manager's openapi.yaml. The manager rejects unknown fields, so these hold the documented fields
 * and nothing else.
 */
public final class ManagerMessages {
    private ManagerMessages() {}

    /** {@code maxJobs}: a transcoder's {@code transcoder.maxJobs}; left out for the other roles. */
    public record Capacity(int maxSubscribers, int maxPublishers, int maxMbpsOut,
                           @JsonInclude(JsonInclude.Include.NON_DEFAULT) int maxJobs) {}

    public record NodeRegistration(String id, String role, String region, String cloud, String group, String host,
                                   int srtPort, int httpPort, int webrtcPort, Capacity capacity) {

        /** A transcoder registers SRT port 0 (it listens on none) and its jobs as {@code capacity.maxJobs}. */
        public static NodeRegistration of(NodeConfig cfg) {
            NodeConfig.Capacity c = cfg.node().capacity();
            boolean transcoder = cfg.node().role() == NodeRole.TRANSCODER;
            return new NodeRegistration(cfg.nodeId(), cfg.node().role().wireName(), cfg.node().region(),
                    cfg.node().cloud(), cfg.node().group(), cfg.node().publicHost(), cfg.srtPort(), cfg.httpPort(),
                    // A relay serves no WebRTC; the schema's "none" is 0.
                    Math.max(0, cfg.webrtcPort()),
                    new Capacity(c.maxSubscribers(), c.maxPublishers(), c.maxMbpsOut(),
                            transcoder ? cfg.transcoder().maxJobs() : 0));
        }
    }

    /** {@code cpu} is left out when the JVM cannot measure it, rather than reported as an idle 0. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Load(Double cpu, double mbpsIn, double mbpsOut, int publishers, int subscribers, int streams) {}

    /** {@code upstream} is written as null for an origin's or a standalone pull's stream (the schema's nullable). */
    public record NodeStream(String key, boolean publishing, int subscribers, int kbps, String upstream) {}

    public record Heartbeat(boolean ready, Load load, List<NodeStream> streams) {}
}
