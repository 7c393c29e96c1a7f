package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;

/**
 * The autoscaler's memory of one node-group rule ({@code group/role/region}), kept in the cluster so a
 * new oldest member carries on where the last one stopped: when the rule last scaled (cool-down),
 * and since when its load has been above the out-threshold or below the in-threshold (null: not).
 */
public record ScaleState(Instant lastScaleAt, Instant overSince, Instant underSince, double load, int inService)
        implements Serializable {
    public static final ScaleState NONE = new ScaleState(null, null, null, 0, 0);
}
