package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;

/**
 * The autoscaler's memory of one node-group rule ({@code group/role/region}), kept in the cluster so a
 * new oldest member carries on where the last one stopped: when the rule last scaled (cool-down),
 * and since when its load has been above the out-threshold or below the in-threshold (null: not);
 * and the floor a scheduled event set, held until the occurrence ends ({@code heldUntil}) even if a
 * shorter measured boot time later moves the start of the event's lead window after now.
 */
public record ScaleState(Instant lastScaleAt, Instant overSince, Instant underSince, double load, int inService,
                         int heldFloor, Instant heldUntil, String heldReason) implements Serializable {
    public static final ScaleState NONE = new ScaleState(null, null, null, 0, 0);

    public ScaleState(Instant lastScaleAt, Instant overSince, Instant underSince, double load, int inService) {
        this(lastScaleAt, overSince, underSince, load, inService, 0, null, null);
    }

    /** The same, holding a scheduled event's floor until {@code until}. */
    public ScaleState holding(int floor, Instant until, String reason) {
        return new ScaleState(lastScaleAt, overSince, underSince, load, inService, floor, until, reason);
    }
}
