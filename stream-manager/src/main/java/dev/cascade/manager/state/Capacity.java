package dev.cascade.manager.state;

import java.io.Serializable;

/** What a node can carry; placement never goes past it. 0 means unlimited. */
public record Capacity(int maxSubscribers, int maxPublishers, double maxMbpsOut) implements Serializable {
    public static final Capacity UNLIMITED = new Capacity(0, 0, 0);

    /** From JSON: a limit left out is unlimited ({@code {"maxSubscribers": 500}} limits subscribers only). */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Capacity of(@com.fasterxml.jackson.annotation.JsonProperty("maxSubscribers") Integer maxSubscribers,
                              @com.fasterxml.jackson.annotation.JsonProperty("maxPublishers") Integer maxPublishers,
                              @com.fasterxml.jackson.annotation.JsonProperty("maxMbpsOut") Double maxMbpsOut) {
        return new Capacity(maxSubscribers == null ? 0 : maxSubscribers, maxPublishers == null ? 0 : maxPublishers,
                maxMbpsOut == null ? 0 : maxMbpsOut);
    }

    public Capacity {
        Validation.atLeast("capacity.maxSubscribers", maxSubscribers, 0);
        Validation.atLeast("capacity.maxPublishers", maxPublishers, 0);
        Validation.finiteAtLeast("capacity.maxMbpsOut", maxMbpsOut, 0);
    }
}
