package dev.cascade.node.stream;

import java.nio.ByteBuffer;

/**
 * One receiver of a stream's TS packets (a viewer, or a downstream node's pull: a RelayLink from the
 * other side is just one more subscription). Owned by the stream's loop thread.
 *
 * <p>Sending never blocks: an egress adapter writes into its transport's own bounded buffer (for SRT,
 * libsrt's send buffer) and reports {@link #FULL} when it has no room. The stream then drops this
 * subscription's packets until the next keyframe (counted), so a slow viewer gets a clean restart
 * instead of a corrupted GOP, and never stalls the publisher or other viewers.
 */
public abstract class Subscription {
    public static final int SENT = 1;
    public static final int FULL = 0;
    public static final int GONE = -1;

    /** Receiving the stream; false while waiting for a keyframe to start or resume on. */
    boolean live;
    /**
     * Dropped after a full buffer: resume only on a keyframe that arrives from now on. (A joining
     * subscriber instead starts on the cached GOP; re-sending that to a resyncing one would repeat
     * frames it already has.)
     */
    boolean resync;
    boolean closed;
    // Written by the loop thread only; read (possibly stale) by metrics and the API.
    public long bytesSent;
    public long packetsDropped;

    /**
     * Writes {@code length} bytes (whole TS packets) held in {@code buf} from {@code offset}, whose
     * native address is {@code address} (the same bytes, for adapters that hand memory to native
     * code); returns SENT, FULL or GONE.
     */
    protected abstract int write(ByteBuffer buf, int offset, long address, int length);

    /** "viewer" or "relay" (a downstream node). */
    public abstract String kind();

    /** Closes the transport. Must not call back into the stream. */
    protected abstract void closeTransport();

    public boolean isLive() {
        return live;
    }
}
