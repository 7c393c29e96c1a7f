package dev.cascade.node.egress.srt;

import dev.cascade.node.MediaNode;
import dev.cascade.node.srt.Srt;
import dev.cascade.node.srt.SrtConnection;
import dev.cascade.node.srt.SrtConstants;
import dev.cascade.node.srt.SrtLoop;
import dev.cascade.node.stream.Stream;
import dev.cascade.node.stream.Subscription;
import java.net.InetSocketAddress;

/**
 * Sends a stream to one SRT caller in live-mode messages of at most seven TS packets. The bounded
 * queue is libsrt's own send buffer, bounded two ways: by its size (when full, {@code srt_sendmsg2}
 * fails at once with SRT_EASYNCSND) and, since live mode's too-late drop keeps that buffer from
 * ever filling, by time: when the unacknowledged backlog sampled from {@code srt_bstats} exceeds
 * {@link #BACKLOG_LIMIT_MS}, the viewer is falling behind. Either way the stream drops this
 * subscriber's packets until the next keyframe, rather than letting SRT punch holes into GOPs.
 */
public final class SrtSubscriber extends Subscription implements SrtLoop.Handler {
    /** Unacknowledged data older than this means the receiver cannot keep up. */
    static final int BACKLOG_LIMIT_MS = 500;

    private final MediaNode node;
    private final Stream stream;
    private final SrtConnection connection;
    private final String kind;
    private boolean closed;

    /** @param kind "viewer", "relay" (a downstream node) or "transcoder" */
    public SrtSubscriber(MediaNode node, Stream stream, int socket, InetSocketAddress peer, String kind) {
        this.node = node;
        this.stream = stream;
        this.connection = new SrtConnection(socket, stream.key(), peer, "subscriber");
        this.kind = kind;
    }

    /** Loop thread. */
    public void start() {
        node.track(connection);
        // Only errors: a viewer sends no data, and a broken connection also shows up as a failed send.
        node.loop().add(connection.socket(), SrtConstants.SRT_EPOLL_ERR, this);
        stream.addSubscriber(this);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    protected int write(java.nio.ByteBuffer buf, int offset, long address, int length) {
        if (connection.stats().sendBufferMs > BACKLOG_LIMIT_MS) {
            return FULL;
        }
        int socket = connection.socket();
        for (int pos = 0; pos < length; pos += SrtConstants.LIVE_PAYLOAD) {
            int n = Srt.send(socket, address + pos, Math.min(SrtConstants.LIVE_PAYLOAD, length - pos));
            if (n <= 0) {
                return n == 0 ? FULL : GONE;
            }
        }
        return SENT;
    }

    @Override
    public void onEvents(int socket, int events) {
        if ((events & SrtConstants.SRT_EPOLL_ERR) != 0) {
            stream.removeSubscriber(this);
        }
    }

    @Override
    protected void closeTransport() {
        if (closed) {
            return;
        }
        closed = true;
        node.loop().remove(connection.socket());
        node.untrack(connection);
        Srt.close(connection.socket());
    }
}
