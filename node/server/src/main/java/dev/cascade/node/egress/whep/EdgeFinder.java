package dev.cascade.node.egress.whep;

import java.util.concurrent.CompletionStage;

/**
 * Where the viewers of a stream on a draining edge should go: another edge's WHEP endpoint. With a
 * stream manager that is its subscribe placement ({@code dev.cascade.node.manager.ManagerPlacements});
 * a standalone edge has none and never drains.
 */
public interface EdgeFinder {
    /** The answer to one ask. */
    sealed interface Answer permits Found, NoCapacity, Failed {}

    /** Another edge: its node id and the stream's WHEP endpoint there. */
    record Found(String nodeId, String whepUrl) implements Answer {}

    /** The manager answered: no edge in service has room (503 no-capacity). */
    record NoCapacity(String detail) implements Answer {}

    /** No manager answered, or the answer was unusable. */
    record Failed(String detail) implements Answer {}

    /** Asks for an edge for {@code streamKey} ({@code app/name}). Any thread; completes on any thread. */
    CompletionStage<Answer> find(String streamKey);
}
