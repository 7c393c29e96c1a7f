package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * A node as the cluster knows it: what it registered, its lifecycle state, and its last heartbeat.
 * Immutable: every change is a new record written by an entry processor on the partition owner.
 */
public record NodeRecord(String id, NodeRole role, String region, String cloud, String group, NodeState state,
                         String host, int srtPort, int httpPort, int webrtcPort, Capacity capacity, Load load,
                         List<NodeStream> streams, Instant registeredAt, Instant lastHeartbeatAt, Instant stateSince)
        implements Serializable {

    public NodeRecord {
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    public static NodeRecord registered(NodeRegistration r, Instant now) {
        return new NodeRecord(r.id(), r.role(), r.region(), r.cloud(), r.group(), NodeState.STARTING, r.host(),
                r.srtPort(), r.httpPort(), r.webrtcPort(), r.capacity(), Load.ZERO, List.of(), now, now, now);
    }

    /** A node asked of a cloud and not yet heard from. */
    public static NodeRecord requested(String id, NodeRole role, String region, String cloud, String group,
                                       Capacity capacity, Instant now) {
        return new NodeRecord(id, role, region, cloud, group, NodeState.REQUESTED, "", 0, 0, 0, capacity, Load.ZERO,
                List.of(), now, now, now);
    }

    NodeRecord onCloud(String next) {
        return new NodeRecord(id, role, region, next, group, state, host, srtPort, httpPort, webrtcPort, capacity, load,
                streams, registeredAt, lastHeartbeatAt, stateSince);
    }

    public NodeRecord withState(NodeState next, Instant now) {
        if (next == state) {
            return this;
        }
        return new NodeRecord(id, role, region, cloud, group, next, host, srtPort, httpPort, webrtcPort, capacity,
                next.gone() ? Load.ZERO : load, next.gone() ? List.of() : streams, registeredAt, lastHeartbeatAt, now);
    }

    public NodeRecord withHeartbeat(Heartbeat hb, Instant now) {
        NodeState next = state == NodeState.STARTING && hb.ready() ? NodeState.INSERVICE : state;
        return new NodeRecord(id, role, region, cloud, group, next, host, srtPort, httpPort, webrtcPort, capacity,
                hb.load(), hb.streams(), registeredAt, now, next == state ? stateSince : now);
    }

    /** The stream as this node last reported it, or null. */
    public NodeStream stream(String key) {
        for (NodeStream s : streams) {
            if (s.key().equals(key)) {
                return s;
            }
        }
        return null;
    }
}
