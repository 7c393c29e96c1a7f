package dev.cascade.manager.state;

import java.io.Serializable;

/** What a node can carry; placement never goes past it. 0 means unlimited. */
public record Capacity(int maxSubscribers, int maxPublishers, double maxMbpsOut) implements Serializable {
    public static final Capacity UNLIMITED = new Capacity(0, 0, 0);

    public Capacity {
        Validation.atLeast("capacity.maxSubscribers", maxSubscribers, 0);
        Validation.atLeast("capacity.maxPublishers", maxPublishers, 0);
        Validation.finiteAtLeast("capacity.maxMbpsOut", maxMbpsOut, 0);
    }
}
