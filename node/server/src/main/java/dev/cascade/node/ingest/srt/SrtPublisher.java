package dev.cascade.node.ingest.srt;

import dev.cascade.node.MediaNode;
import dev.cascade.node.srt.Srt;
import dev.cascade.node.srt.SrtConnection;
import dev.cascade.node.srt.SrtConstants;
import dev.cascade.node.srt.SrtLoop;
import dev.cascade.node.stream.PushedSource;
import dev.cascade.node.stream.Stream;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An encoder pushing MPEG-TS over SRT to an origin: reads messages and feeds the stream. */
public final class SrtPublisher implements PushedSource, SrtLoop.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(SrtPublisher.class);

    private final MediaNode node;
    private final Stream stream;
    private final SrtConnection connection;
    private boolean closed;

    public SrtPublisher(MediaNode node, Stream stream, int socket, InetSocketAddress peer) {
        this.node = node;
        this.stream = stream;
        this.connection = new SrtConnection(socket, stream.key(), peer, "publisher");
    }

    /** Attaches to the stream and starts reading. Loop thread. */
    public void start() {
        node.loop().add(connection.socket(), SrtConstants.SRT_EPOLL_IN | SrtConstants.SRT_EPOLL_ERR, this);
        node.track(connection);
        stream.attachSource(this);
        LOG.info("publisher {} started stream {}", connection.peer(), stream.key());
    }

    @Override
    public String kind() {
        return "publisher";
    }

    @Override
    public void onEvents(int socket, int events) {
        SrtLoop loop = node.loop();
        while (!closed) {
            int n = Srt.recv(socket, loop.receiveAddress(), SrtConstants.LIVE_MAX_PAYLOAD);
            if (n == 0) {
                break;
            }
            if (n < 0) {
                disconnect("connection closed");
                return;
            }
            if (!stream.onData(loop.receiveBuffer(), loop.receiveAddress(), 0, n)) {
                node.metrics().rejected("not_ts");
                disconnect("sent no MPEG-TS in " + node.config().stream().nonTsLimitBytes() + " bytes");
                return;
            }
        }
        if (!closed && (events & SrtConstants.SRT_EPOLL_ERR) != 0) {
            disconnect("connection error");
        }
    }

    private void disconnect(String why) {
        LOG.info("publisher {} of stream {} left: {}", connection.peer(), stream.key(), why);
        close();
        stream.sourceLost(this);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        node.loop().remove(connection.socket());
        node.untrack(connection);
        Srt.close(connection.socket());
    }
}
