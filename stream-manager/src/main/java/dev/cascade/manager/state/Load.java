package dev.cascade.manager.state;

import java.io.Serializable;

/** A node's load as its last heartbeat reported it. */
public record Load(double cpu, double mbpsIn, double mbpsOut, int publishers, int subscribers, int streams)
        implements Serializable {
    public static final Load ZERO = new Load(0, 0, 0, 0, 0, 0);

    public Load {
        if (!(cpu >= 0 && cpu <= 1)) {
            throw new InvalidValueException("load.cpu", "must be between 0 and 1 (got " + cpu + ")");
        }
        Validation.finiteAtLeast("load.mbpsIn", mbpsIn, 0);
        Validation.finiteAtLeast("load.mbpsOut", mbpsOut, 0);
        Validation.atLeast("load.publishers", publishers, 0);
        Validation.atLeast("load.subscribers", subscribers, 0);
        Validation.atLeast("load.streams", streams, 0);
    }
}
