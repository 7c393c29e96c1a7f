package dev.cascade.manager.state;

/**
 * A node's lifecycle: REQUESTED (asked of a cloud, not yet heard from) -> STARTING (registered) ->
 * INSERVICE (heartbeating ready; takes placements) -> DRAINING (no new placements) -> TERMINATED (left),
 * or FAILED when its heartbeats stop.
 */
public enum NodeState {
    REQUESTED, STARTING, INSERVICE, DRAINING, TERMINATED, FAILED;

    /** A node in this state is expected to heartbeat. */
    public boolean alive() {
        return this == STARTING || this == INSERVICE || this == DRAINING;
    }

    /** The node is gone: it must register again to come back. */
    public boolean gone() {
        return this == TERMINATED || this == FAILED;
    }
}
