package dev.cascade.manager.state;

import java.io.Serializable;
import java.util.List;

/** A node's periodic report (PUT /api/v1/nodes/{id}/heartbeat). */
public record Heartbeat(Boolean ready, Load load, List<NodeStream> streams) implements Serializable {
    public static final int MAX_STREAMS = 10_000;

    public Heartbeat {
        if (ready == null) {
            throw new InvalidValueException("ready", "is required");
        }
        if (load == null) {
            throw new InvalidValueException("load", "is required");
        }
        streams = streams == null ? List.of() : List.copyOf(streams);
        if (streams.size() > MAX_STREAMS) {
            throw new InvalidValueException("streams", "at most " + MAX_STREAMS + " entries (got " + streams.size() + ")");
        }
    }
}
