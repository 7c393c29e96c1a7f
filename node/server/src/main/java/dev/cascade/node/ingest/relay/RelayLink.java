package dev.cascade.node.ingest.relay;

import dev.cascade.node.MediaNode;
import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.srt.Srt;
import dev.cascade.node.srt.SrtConnection;
import dev.cascade.node.srt.SrtConstants;
import dev.cascade.node.srt.SrtException;
import dev.cascade.node.srt.SrtLoop;
import dev.cascade.node.srt.SrtRejectCode;
import dev.cascade.node.stream.PulledSource;
import dev.cascade.node.stream.Stream;
import dev.cascade.protocol.streamid.StreamId;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one pull of a stream from the upstream node (an edge from a relay, a relay from an origin),
 * however many subscribers the stream has here. It is an SRT caller with stream ID
 * {@code #!::r=app/name,m=request,hop=<our role>} so the upstream node uses the inter-node latency.
 *
 * <p>Failure handling, in order: a connect that fails (upstream unreachable, or 1404 because the
 * publisher has not started yet) is retried with backoff until {@code upstream.pullTimeoutMs} has
 * passed without data, then the stream ends and its subscribers are closed. A link that was live and
 * breaks is reconnected at once under the same deadline; if the upstream then answers 1404 the
 * stream is really gone (the origin's publisher grace expired) and we stop at once.
 */
public final class RelayLink implements PulledSource, SrtLoop.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(RelayLink.class);
    private static final long[] BACKOFF_MS = {100, 200, 400, 800};

    private enum State { CONNECTING, CONNECTED, WAITING, CLOSED }

    private final MediaNode node;
    private final Stream stream;
    private final String upstreamHost;
    private final int upstreamPort;
    private final StreamId streamId;
    private State state = State.WAITING;
    private SrtConnection connection;
    private int attempt;
    private long deadlineNanos;
    private boolean everConnected;
    /** The deadline has passed; one more attempt is being made to learn the upstream's answer. */
    private boolean lastChance;
    private SrtLoop.Timer retryTimer;
    private SrtLoop.Timer deadlineTimer;

    public RelayLink(MediaNode node, Stream stream, StreamId requested, String upstreamHost, int upstreamPort) {
        this.node = node;
        this.stream = stream;
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.streamId = StreamId.request(requested.app(), requested.name())
                .withHop(node.config().node().role().wireName());
    }

    @Override
    public String kind() {
        return "relay_link";
    }

    /** Loop thread. */
    public void start() {
        stream.attachSource(this);
        node.relayLinkOpened(this);
        node.metrics().relayLinkStarted();
        armDeadline();
        connect();
    }

    /**
     * Starts a pull-timeout window: connection attempts stop once it has passed without data. A
     * connection that is up but silent gets twice as long, because a Cascade upstream runs the same
     * timeout on its own pull and closes us with its answer (usually 1404) first; the watchdog only
     * catches upstreams that accept and then send nothing.
     */
    private void armDeadline() {
        deadlineNanos = System.nanoTime() + pullTimeoutNanos();
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
        deadlineTimer = node.loop().schedule(2L * node.config().upstream().pullTimeoutMs(), () -> {
            deadlineTimer = null;
            if (state == State.CONNECTED && deadlineNanos != Long.MAX_VALUE) {
                giveUp("upstream_no_data", 0);
            }
        });
    }

    private void giveUp(String reason, int rejectReason) {
        LOG.info("pull of {} from {}:{} gave up: {} (last reject {})", stream.key(), upstreamHost, upstreamPort,
                reason, Srt.rejectReasonText(rejectReason));
        stream.sourceFailed(this, reason);
    }

    private long pullTimeoutNanos() {
        return TimeUnit.MILLISECONDS.toNanos(node.config().upstream().pullTimeoutMs());
    }

    private void connect() {
        NodeConfig.Upstream cfg = node.config().upstream();
        node.metrics().relayLinkAttempt();
        state = State.CONNECTING;
        try {
            // Resolved at every attempt: the upstream's name may not resolve yet when this node boots.
            InetSocketAddress upstream = new InetSocketAddress(upstreamHost, upstreamPort);
            int socket = Srt.createSocket();
            connection = new SrtConnection(socket, stream.key(), upstream, "upstream");
            Srt.configureLive(socket, cfg.latencyMs(), node.config().srt().peerIdleTimeoutMs());
            Srt.setInt(socket, SrtConstants.SRTO_CONNTIMEO, cfg.connectTimeoutMs());
            Srt.setString(socket, SrtConstants.SRTO_STREAMID, streamId.encode());
            node.loop().add(socket, SrtConstants.SRT_EPOLL_OUT | SrtConstants.SRT_EPOLL_ERR, this);
            Srt.connect(socket, upstream);
        } catch (SrtException e) {
            failed(e.rejectReason());
        } catch (RuntimeException e) {
            LOG.warn("pull of {} from {}:{}: {}", stream.key(), upstreamHost, upstreamPort, e.toString());
            failed(0);
        }
    }

    @Override
    public void onEvents(int socket, int events) {
        if (state == State.CONNECTING) {
            if (Srt.state(socket) == SrtConstants.SRTS_CONNECTED) {
                state = State.CONNECTED;
                attempt = 0;
                node.loop().modify(socket, SrtConstants.SRT_EPOLL_IN | SrtConstants.SRT_EPOLL_ERR);
                node.track(connection);
                if (everConnected) {
                    stream.restartPath();
                }
                everConnected = true;
                LOG.info("pull of {} from {} connected", stream.key(), connection.peer());
            } else if ((events & SrtConstants.SRT_EPOLL_ERR) != 0) {
                failed(Srt.rejectReason(socket));
            }
            return;
        }
        if (state != State.CONNECTED) {
            return;
        }
        SrtLoop loop = node.loop();
        while (state == State.CONNECTED) {
            int n = Srt.recv(socket, loop.receiveAddress(), SrtConstants.LIVE_MAX_PAYLOAD);
            if (n == 0) {
                break;
            }
            if (n < 0) {
                lost();
                return;
            }
            deadlineNanos = Long.MAX_VALUE;
            lastChance = false;
            stream.onData(loop.receiveBuffer(), loop.receiveAddress(), 0, n);
        }
        if (state == State.CONNECTED && (events & SrtConstants.SRT_EPOLL_ERR) != 0) {
            lost();
        }
    }

    /**
     * The connection broke. If data had flowed on it, reconnect at once under a fresh deadline; if
     * not (an upstream that accepts and then drops us), go through backoff under the old deadline,
     * so a misbehaving upstream cannot make us reconnect in a tight loop forever.
     */
    private void lost() {
        LOG.info("pull of {} from {}:{} lost; reconnecting", stream.key(), upstreamHost, upstreamPort);
        if (deadlineNanos == Long.MAX_VALUE) {
            releaseSocket();
            attempt = 0;
            armDeadline();
            connect();
        } else if (!lastChance && System.nanoTime() >= deadlineNanos) {
            // A Cascade upstream closes a silent pull when its own pull gives up; ask once more
            // at once to hear its answer (1404 while it remembers the stream is missing).
            releaseSocket();
            lastChance = true;
            connect();
        } else if (lastChance) {
            releaseSocket();
            giveUp("upstream_no_data", 0);
        } else {
            failed(0);
        }
    }

    private void failed(int rejectReason) {
        releaseSocket();
        if (state == State.CLOSED) {
            return;
        }
        boolean notFound = rejectReason == SrtRejectCode.NOT_FOUND.code();
        if (notFound && everConnected) {
            stream.sourceFailed(this, "not_found");
            return;
        }
        if (lastChance || System.nanoTime() >= deadlineNanos) {
            giveUp(notFound ? "not_found" : "upstream_unreachable", rejectReason);
            return;
        }
        state = State.WAITING;
        long delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)];
        retryTimer = node.loop().schedule(delay, () -> {
            retryTimer = null;
            if (state == State.WAITING) {
                connect();
            }
        });
    }

    private void releaseSocket() {
        if (connection != null) {
            node.loop().remove(connection.socket());
            node.untrack(connection);
            Srt.close(connection.socket());
            connection = null;
        }
    }

    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        if (retryTimer != null) {
            retryTimer.cancel();
        }
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
        releaseSocket();
        node.relayLinkClosed(this);
    }
}
