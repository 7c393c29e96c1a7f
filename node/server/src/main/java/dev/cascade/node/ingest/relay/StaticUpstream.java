package dev.cascade.node.ingest.relay;

import dev.cascade.protocol.streamid.StreamId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A standalone node's upstream: {@code upstream.host} and {@code upstream.port}, for every stream. */
public final class StaticUpstream implements UpstreamResolver {
    private final CompletableFuture<Route> answer;

    public StaticUpstream(String host, int port) {
        this.answer = CompletableFuture.completedFuture(new Upstream(null, host, port));
    }

    /** There is no other upstream to offer, so {@code exclude} changes nothing. */
    @Override
    public CompletionStage<Route> resolve(StreamId stream, List<String> exclude) {
        return answer;
    }
}
