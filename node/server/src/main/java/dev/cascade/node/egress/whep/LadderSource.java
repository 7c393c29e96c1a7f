package dev.cascade.node.egress.whep;

import dev.cascade.node.egress.whep.abr.AbrLadder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Where an edge learns whether a stream has an ABR ladder (the stream manager, for managed edges). */
public interface LadderSource {
    /** No ladders: standalone edges, and {@code abr.enabled: false}. */
    LadderSource NONE = key -> CompletableFuture.completedFuture(null);

    /**
     * The stream's ladder, or null when it has none or it cannot be learned now (then its viewers get
     * the stream as published: a missing answer must never keep a viewer from playing).
     */
    CompletionStage<AbrLadder> ladder(String streamKey);
}
