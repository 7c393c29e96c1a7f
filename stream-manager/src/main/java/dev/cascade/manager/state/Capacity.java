package dev.cascade.manager.state;

import java.io.Serializable;

/**
 * What a node can carry; placement never goes past it. 0 means unlimited. {@code maxJobs} is a
 * transcoder's: the streams whose ladders it runs at once (its {@code transcoder.maxJobs}).
 */
public record Capacity(int maxSubscribers, int maxPublishers, double maxMbpsOut, int maxJobs) implements Serializable {
    public static final Capacity UNLIMITED = new Capacity(0, 0, 0, 0);

    /** A media node's capacity (no transcode jobs). */
    public Capacity(int maxSubscribers, int maxPublishers, double maxMbpsOut) {
        this(maxSubscribers, maxPublishers, maxMbpsOut, 0);
    }

    /** From JSON: a limit left out is unlimited ({@code {"maxSubscribers": 500}} limits subscribers only). */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Capacity of(@com.fasterxml.jackson.annotation.JsonProperty("maxSubscribers") Integer maxSubscribers,
                              @com.fasterxml.jackson.annotation.JsonProperty("maxPublishers") Integer maxPublishers,
                              @com.fasterxml.jackson.annotation.JsonProperty("maxMbpsOut") Double maxMbpsOut,
                              @com.fasterxml.jackson.annotation.JsonProperty("maxJobs") Integer maxJobs) {
        return new Capacity(maxSubscribers == null ? 0 : maxSubscribers, maxPublishers == null ? 0 : maxPublishers,
                maxMbpsOut == null ? 0 : maxMbpsOut, maxJobs == null ? 0 : maxJobs);
    }

    public Capacity {
        Validation.atLeast("capacity.maxSubscribers", maxSubscribers, 0);
        Validation.atLeast("capacity.maxPublishers", maxPublishers, 0);
        Validation.finiteAtLeast("capacity.maxMbpsOut", maxMbpsOut, 0);
        Validation.between("capacity.maxJobs", maxJobs, 0, 1000);
    }

    /** Refuses {@code maxJobs} on a role that runs no transcode jobs (a mistake, not a limit). */
    Capacity checkedFor(NodeRole role) {
        if (maxJobs > 0 && role != NodeRole.TRANSCODER) {
            throw new InvalidValueException("capacity.maxJobs", "only transcoders run transcode jobs (role is "
                    + role.wireName() + ")");
        }
        return this;
    }
}
