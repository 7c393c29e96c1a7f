package dev.cascade.node.ingest.relay;

import dev.cascade.protocol.streamid.StreamId;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a {@link RelayLink} pulls a stream from. A standalone node has one configured upstream
 * ({@link StaticUpstream}); a node with a stream manager asks it for a route before every connect
 * attempt ({@code dev.cascade.node.manager.ManagerRoutes}).
 *
 * <p>{@link #resolve} is called on the SRT loop thread and must not block it: an answer that needs
 * the network completes later on another thread, and the link hands it back to its loop.
 */
public interface UpstreamResolver {

    /**
     * @param stream  the stream to pull
     * @param exclude ids of upstream nodes that just failed for this pull (unreachable, or a live link
     *                lost); the answer should name another one
     * @return never fails exceptionally: every outcome is a {@link Route}
     */
    CompletionStage<Route> resolve(StreamId stream, List<String> exclude);

    /** One answer: connect there, or why not. */
    sealed interface Route permits Upstream, NotFound, Unavailable {}

    /**
     * Connect to {@code host:port}.
     *
     * @param nodeId the upstream node's id at the stream manager, or null for a static upstream
     */
    record Upstream(String nodeId, String host, int port) implements Route {
        public String describe() {
            return (nodeId == null ? "" : nodeId + " at ") + host + ":" + port;
        }
    }

    /** No origin holds the stream (yet): retried like an upstream's 1404 before the stream existed. */
    record NotFound(String detail) implements Route {}

    /** No answer to act on (every manager unreachable, no capacity, refused): retried like an unreachable upstream. */
    record Unavailable(String detail) implements Route {}
}
