package dev.cascade.node.ingest.relay;

import dev.cascade.node.MediaNode;
import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.ingest.relay.UpstreamResolver.NotFound;
import dev.cascade.node.ingest.relay.UpstreamResolver.Route;
import dev.cascade.node.ingest.relay.UpstreamResolver.Upstream;
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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one pull of a stream from the upstream node (an edge from a relay, a relay from an origin),
 * however many subscribers the stream has here. It is an SRT caller with stream ID
 * {@code #!::r=app/name,m=request,hop=<our role>} so the upstream node uses the inter-node latency.
 *
 * <p>Before every connect attempt the link asks its {@link UpstreamResolver} where to go: the
 * configured upstream when standalone, or the stream manager's route. A route ask runs off the loop
 * thread and its answer comes back through {@link SrtLoop#execute}, so the loop never waits on HTTP.
 * Upstreams that failed during this pull (unreachable, or a live link lost) are passed as
 * {@code exclude}, so the manager answers another one; the list is forgotten once data flows.
 *
 * <p>Failure handling, in order: a connect that fails (upstream unreachable, or 1404 because the
 * publisher has not started yet, or the manager knowing no origin for the stream yet, or no manager
 * answering) is retried with backoff until {@code upstream.pullTimeoutMs} has passed without data,
 * then the stream ends and its subscribers are closed. A link that was live and breaks is reconnected
 * at once under a fresh deadline; if the upstream then answers 1404 the stream is really gone (the
 * origin's publisher grace expired) and we stop at once.
 */
public final class RelayLink implements PulledSource, SrtLoop.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(RelayLink.class);
    private static final long[] BACKOFF_MS = {100, 200, 400, 800};
    /** Failed upstreams remembered per pull; a route has a handful of candidates, never more. */
    private static final int MAX_EXCLUDED = 8;

    private enum State { RESOLVING, CONNECTING, CONNECTED, WAITING, CLOSED }

    private final MediaNode node;
    private final Stream stream;
    private final UpstreamResolver upstreams;
    private final StreamId streamId;
    /** Where the current or last attempt went; null until the first answer. */
    private Upstream upstream;
    /** The upstream's node id for the API and the heartbeat (written on the loop, read by HTTP). */
    private volatile String upstreamNode;
    /** Upstreams that failed since data last flowed, oldest first. */
    private final LinkedHashSet<String> failedUpstreams = new LinkedHashSet<>();
    /** Why the last route ask gave no upstream, for the log line when the pull gives up. */
    private String routeProblem;
    private State state = State.WAITING;
    private SrtConnection connection;
    private int attempt;
    private long deadlineNanos;
    private boolean everConnected;
    /** The deadline has passed; one more attempt is being made to learn the upstream's answer. */
    private boolean lastChance;
    private SrtLoop.Timer retryTimer;
    /** Ends a route ask still unanswered at the pull deadline (every manager slow to answer). */
    private SrtLoop.Timer resolveTimer;
    private SrtLoop.Timer deadlineTimer;

    public RelayLink(MediaNode node, Stream stream, StreamId requested, UpstreamResolver upstreams) {
        this.node = node;
        this.stream = stream;
        this.upstreams = upstreams;
        this.streamId = StreamId.request(requested.app(), requested.name())
                .withHop(node.config().node().role().wireName());
    }

    @Override
    public String kind() {
        return "relay_link";
    }

    /** The id of the node this stream is pulled from, as the route named it; null when standalone. */
    public String upstreamNode() {
        return upstreamNode;
    }

    /** Loop thread. */
    public void start() {
        stream.attachSource(this);
        node.relayLinkOpened(this);
        node.metrics().relayLinkStarted();
        armDeadline();
        resolveAndConnect();
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
        LOG.info("pull of {} from {} gave up: {} (last reject {}{})", stream.key(), describeUpstream(), reason,
                Srt.rejectReasonText(rejectReason), routeProblem == null ? "" : "; last route answer: " + routeProblem);
        stream.sourceFailed(this, reason);
    }

    private String describeUpstream() {
        return upstream == null ? "(no upstream yet)" : upstream.describe();
    }

    /** Asks where to pull from; the answer comes back on the loop thread. */
    private void resolveAndConnect() {
        state = State.RESOLVING;
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        // A slow manager must not stretch the pull past its deadline. (An ask made after the deadline
        // is the pull's last try, like a last connect; the manager client bounds it on its own.)
        if (leftMs > 0) {
            resolveTimer = node.loop().schedule(leftMs, () -> {
                resolveTimer = null;
                if (state == State.RESOLVING) {
                    routeProblem = "no route answer before the pull deadline";
                    giveUp("upstream_unreachable", 0);
                }
            });
        }
        upstreams.resolve(streamId, new ArrayList<>(failedUpstreams))
                .whenComplete((route, error) -> node.loop().execute(() -> resolved(route, error)));
    }

    /** Loop thread. */
    private void resolved(Route route, Throwable error) {
        if (state != State.RESOLVING) {
            return; // closed while the ask was out
        }
        if (resolveTimer != null) {
            resolveTimer.cancel();
            resolveTimer = null;
        }
        if (route instanceof Upstream u) {
            upstream = u;
            upstreamNode = u.nodeId();
            routeProblem = null;
            connect();
            return;
        }
        routeProblem = route instanceof NotFound n ? "stream not found: " + n.detail()
                : route instanceof UpstreamResolver.Unavailable u ? u.detail()
                : "no route: " + error; // a resolver never fails, but if one did, it would be this
        retryOrGiveUp(route instanceof NotFound, 0);
    }

    /** An upstream failed us: the next route ask names it in {@code exclude}. */
    private void rememberFailed() {
        if (upstream == null || upstream.nodeId() == null) {
            return;
        }
        failedUpstreams.remove(upstream.nodeId());
        failedUpstreams.add(upstream.nodeId());
        if (failedUpstreams.size() > MAX_EXCLUDED) {
            Iterator<String> oldest = failedUpstreams.iterator();
            oldest.next();
            oldest.remove();
        }
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
            InetSocketAddress address = new InetSocketAddress(upstream.host(), upstream.port());
            int socket = Srt.createSocket();
            connection = new SrtConnection(socket, stream.key(), address, "upstream");
            Srt.configureLive(socket, cfg.latencyMs(), node.config().srt().peerIdleTimeoutMs());
            Srt.setInt(socket, SrtConstants.SRTO_CONNTIMEO, cfg.connectTimeoutMs());
            Srt.setString(socket, SrtConstants.SRTO_STREAMID, streamId.encode());
            node.loop().add(socket, SrtConstants.SRT_EPOLL_OUT | SrtConstants.SRT_EPOLL_ERR, this);
            Srt.connect(socket, address);
        } catch (SrtException e) {
            failed(e.rejectReason());
        } catch (RuntimeException e) {
            LOG.warn("pull of {} from {}: {}", stream.key(), describeUpstream(), e.toString());
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
                LOG.info("pull of {} from {} connected", stream.key(),
                        upstream.nodeId() == null ? connection.peer() : upstream.nodeId() + " at " + connection.peer());
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
            if (deadlineNanos != Long.MAX_VALUE) {
                dataFlows();
            }
            stream.onData(loop.receiveBuffer(), loop.receiveAddress(), 0, n);
        }
        if (state == State.CONNECTED && (events & SrtConstants.SRT_EPOLL_ERR) != 0) {
            lost();
        }
    }

    /** First data since the link (re)connected: the pull works, so forget the past failures. Once per connection. */
    private void dataFlows() {
        deadlineNanos = Long.MAX_VALUE;
        lastChance = false;
        failedUpstreams.clear();
    }

    /**
     * The connection broke. If data had flowed on it, reconnect at once under a fresh deadline (asking
     * for a route that avoids this upstream); if not (an upstream that accepts and then drops us), go
     * through backoff under the old deadline, so a misbehaving upstream cannot make us reconnect in a
     * tight loop forever.
     */
    private void lost() {
        LOG.info("pull of {} from {} lost; reconnecting", stream.key(), describeUpstream());
        if (deadlineNanos == Long.MAX_VALUE) {
            releaseSocket();
            attempt = 0;
            rememberFailed();
            armDeadline();
            resolveAndConnect();
        } else if (!lastChance && System.nanoTime() >= deadlineNanos) {
            // A Cascade upstream closes a silent pull when its own pull gives up; ask the same one
            // once more at once (no new route) to hear its answer (1404 while it remembers the
            // stream is missing).
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
        if (!notFound) {
            // It answered nothing useful (1404 would mean it is up and the stream not there yet).
            rememberFailed();
        }
        retryOrGiveUp(notFound, rejectReason);
    }

    /** Backoff and a new route ask, unless the pull deadline has passed. */
    private void retryOrGiveUp(boolean notFound, int rejectReason) {
        if (lastChance || System.nanoTime() >= deadlineNanos) {
            giveUp(notFound ? "not_found" : "upstream_unreachable", rejectReason);
            return;
        }
        state = State.WAITING;
        long delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)];
        retryTimer = node.loop().schedule(delay, () -> {
            retryTimer = null;
            if (state == State.WAITING) {
                resolveAndConnect();
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
        if (resolveTimer != null) {
            resolveTimer.cancel();
        }
        if (deadlineTimer != null) {
            deadlineTimer.cancel();
        }
        releaseSocket();
        node.relayLinkClosed(this);
    }
}
