package dev.cascade.node.srt;

import java.net.InetSocketAddress;

/**
 * Identity and statistics of one SRT connection (publisher, subscriber or upstream pull), sampled
 * with {@code srt_bstats} once a tick on the loop thread and exported as metrics.
 */
public final class SrtConnection {
    private final int socket;
    private final String streamKey;
    private final InetSocketAddress peer;
    private final String direction;
    private final SrtStats stats = new SrtStats();

    public SrtConnection(int socket, String streamKey, InetSocketAddress peer, String direction) {
        this.socket = socket;
        this.streamKey = streamKey;
        this.peer = peer;
        this.direction = direction;
    }

    public int socket() {
        return socket;
    }

    public String streamKey() {
        return streamKey;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    public SrtStats stats() {
        return stats;
    }

    /** "publisher", "subscriber" or "upstream". */
    public String direction() {
        return direction;
    }
}
