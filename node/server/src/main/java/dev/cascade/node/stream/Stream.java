package dev.cascade.node.stream;

import dev.cascade.node.srt.SrtLoop;
import dev.cascade.protocol.mpegts.TsPacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream on this node and its packet path. Every method runs on the stream's loop thread,
 * except the volatile getters read by the listen callback, HTTP and metrics.
 *
 * <pre>
 *  ingest adapter (SRT publisher | relay link)
 *      |  onData(message)
 *      v
 *  1 align    TsAligner   whole 188-byte packets; resync and count on sync loss; cut off non-TS
 *  2 observe  TsObserver  continuity counters, PAT/PMT, keyframe starts (first VCL NAL of each video PES)
 *  3 cache    GopCache    packets since the latest keyframe, for subscribers that join or resync
 *  4 fan out  Subscription.write per live subscriber; FULL -> drop until next keyframe (counted);
 *                         waiting subscribers get PAT + PMT + the GOP cache once a keyframe is cached
 *      v
 *  egress adapter (SRT viewer | downstream node's pull)
 * </pre>
 *
 * Packets leave byte for byte as they came in: anyone can point ffprobe at any node and see exactly
 * what the publisher sent.
 */
public final class Stream implements TsAligner.Sink {
    private static final Logger LOG = LoggerFactory.getLogger(Stream.class);

    public enum State {
        /** Created for a subscriber; the source has not delivered yet. */
        STARTING,
        /** The source is delivering. */
        LIVE,
        /** The source is gone; subscribers wait for it to come back (publisher grace). */
        IDLE
    }

    private final String key;
    private final StreamHost host;
    private final SrtLoop loop;
    private final TsAligner aligner = new TsAligner();
    private final TsObserver observer = new TsObserver();
    private final GopCache gop;
    private final ArrayList<Subscription> subscribers = new ArrayList<>();
    private final long nonTsLimit;
    private volatile Source source;
    private volatile State state = State.STARTING;
    private SrtLoop.Timer graceTimer;
    private SrtLoop.Timer lingerTimer;
    private boolean ended;
    private long formatSeen;

    public volatile long bytesIn;
    public volatile long packetsIn;
    public volatile long bytesOut;
    public volatile long packetsOut;
    public volatile long packetsDropped;
    public volatile long lastDataNanos;
    public volatile int subscriberCount;
    /** Subscribers by kind ({@link #KINDS}), for metrics. Written on add and remove only. */
    private final java.util.concurrent.ConcurrentHashMap<String, Integer> kinds = new java.util.concurrent.ConcurrentHashMap<>();
    /** The kinds of subscription: viewers, downstream nodes, transcoders, WebRTC outputs. */
    public static final java.util.List<String> KINDS = java.util.List.of("viewer", "relay", "transcoder", "webrtc");

    public Stream(String key, StreamHost host) {
        this.key = key;
        this.host = host;
        this.loop = host.loop();
        this.gop = new GopCache(host.config().stream().gopCacheBytes());
        this.nonTsLimit = host.config().stream().nonTsLimitBytes();
    }

    public String key() {
        return key;
    }

    public State state() {
        return state;
    }

    public Source source() {
        return source;
    }

    public long syncLossEvents() {
        return aligner.syncLossEvents;
    }

    public long continuityErrors() {
        return observer.continuityErrors;
    }

    public long transportErrors() {
        return observer.transportErrors;
    }

    public long psiErrors() {
        return observer.psiErrors;
    }

    public long pesErrors() {
        return observer.pesErrors;
    }

    public long keyframes() {
        return observer.keyframes;
    }

    public long gopCacheOverflows() {
        return gop.overflows;
    }

    // ---------------------------------------------------------------- packet path

    /**
     * Entry point of every ingest adapter: one received message of TS bytes in native memory.
     *
     * @return false when the source has sent {@code stream.nonTsLimitBytes} without a valid packet
     *     and must be disconnected
     */
    public boolean onData(ByteBuffer buf, long address, int offset, int length) {
        bytesIn += length;
        lastDataNanos = System.nanoTime();
        if (state != State.LIVE) {
            state = State.LIVE;
        }
        aligner.feed(buf, address, offset, length, this);
        return aligner.skippedSinceLastPacket < nonTsLimit;
    }

    @Override
    public void onPackets(ByteBuffer buf, long address, int offset, int count) {
        packetsIn += count;
        boolean keyframe = false;
        for (int i = 0, p = offset; i < count; i++, p += TsPacket.SIZE) {
            int ev = observer.observe(buf, p);
            if ((ev & TsObserver.VIDEO_PES_START) != 0) {
                gop.markPesStart();
            }
            gop.append(buf, p);
            if ((ev & TsObserver.KEYFRAME) != 0) {
                gop.restartAtMark();
                keyframe = true;
            }
        }
        fanOut(buf, offset, address + offset, count * TsPacket.SIZE, keyframe);
        if (observer.formatChanges != formatSeen) {
            formatSeen = observer.formatChanges;
            host.streamFormat(this, observer.aacAudio, observer.opusAudio);
        }
    }

    private void fanOut(ByteBuffer buf, int offset, long address, int length, boolean keyframe) {
        boolean anyGone = false;
        int sent = 0;
        for (int i = 0, n = subscribers.size(); i < n; i++) {
            Subscription s = subscribers.get(i);
            int r;
            if (s.live) {
                r = s.write(buf, offset, address, length);
                if (r == Subscription.SENT) {
                    s.bytesSent += length;
                    sent++;
                    continue;
                }
                if (r == Subscription.FULL) {
                    s.live = false;
                    s.resync = true;
                }
            } else if (s.resync && !keyframe) {
                r = Subscription.FULL; // still dropping until a new keyframe
            } else {
                r = catchUp(s);
            }
            if (r == Subscription.FULL) {
                // Also after a catch-up that did not fit: never replay the same GOP at every message.
                s.resync = true;
                int dropped = length / TsPacket.SIZE;
                s.packetsDropped += dropped;
                packetsDropped += dropped;
            } else if (r == Subscription.GONE) {
                s.closed = true;
                anyGone = true;
            }
        }
        if (sent > 0) {
            // One volatile write per message, not per subscriber.
            bytesOut += (long) sent * length;
            packetsOut += (long) sent * (length / TsPacket.SIZE);
        }
        if (anyGone) {
            removeClosed();
        }
    }

    /** Starts a waiting subscriber on the cached GOP: PAT, PMT, then the GOP from its keyframe. */
    private int catchUp(Subscription s) {
        if (!gop.valid()) {
            return Subscription.SENT; // nothing to start on yet: keep waiting, nothing dropped
        }
        int r = observer.writePsi(s, gop.buffer(), gop.size());
        if (r == Subscription.SENT) {
            r = s.write(gop.buffer(), 0, gop.address(), gop.size());
        }
        if (r == Subscription.SENT) {
            s.live = true;
            s.resync = false;
            s.bytesSent += gop.size();
            bytesOut += gop.size();
            packetsOut += gop.size() / TsPacket.SIZE;
        }
        return r;
    }

    // ---------------------------------------------------------------- subscribers

    public void addSubscriber(Subscription s) {
        if (ended) {
            s.closeTransport();
            return;
        }
        subscribers.add(s);
        subscriberCount = subscribers.size();
        countKinds();
        if (lingerTimer != null) {
            lingerTimer.cancel();
            lingerTimer = null;
        }
        int r = catchUp(s);
        if (r == Subscription.GONE) {
            s.closed = true;
            removeClosed();
        } else if (r == Subscription.FULL) {
            s.resync = true;
        }
    }

    public int subscribers(String kind) {
        return kinds.getOrDefault(kind, 0);
    }

    private void countKinds() {
        java.util.Map<String, Integer> now = new java.util.HashMap<>();
        for (Subscription s : subscribers) {
            now.merge(s.kind().startsWith("webrtc") ? "webrtc" : s.kind(), 1, Integer::sum);
        }
        for (String k : KINDS) {
            kinds.put(k, now.getOrDefault(k, 0));
        }
    }

    public List<Subscription> subscribers() {
        return List.copyOf(subscribers);
    }

    public void removeSubscriber(Subscription s) {
        s.closed = true;
        removeClosed();
    }

    private void removeClosed() {
        for (int i = subscribers.size() - 1; i >= 0; i--) {
            Subscription s = subscribers.get(i);
            if (s.closed) {
                subscribers.remove(i);
                s.closeTransport();
            }
        }
        subscriberCount = subscribers.size();
        countKinds();
        if (subscribers.isEmpty() && source instanceof PulledSource && lingerTimer == null && !ended) {
            lingerTimer = loop.schedule(host.config().upstream().lingerMs(), () -> {
                lingerTimer = null;
                if (subscribers.isEmpty()) {
                    end("unwatched");
                }
            });
        }
    }

    // ---------------------------------------------------------------- source lifecycle

    /**
     * A publisher would be admitted now: there is no source, or the current publisher has sent nothing
     * for {@code idleNanos} (a crashed encoder whose connection has not timed out yet). Called from
     * libsrt's listen callback thread, hence the volatile reads.
     */
    public boolean admitsPublisher(long nowNanos, long idleNanos) {
        Source s = source;
        return s == null || (s instanceof PushedSource && nowNanos - lastDataNanos > idleNanos);
    }

    /** A new source takes over: the old one is closed, the packet path restarts clean. */
    public void attachSource(Source s) {
        Source old = source;
        if (old != null && old != s) {
            old.close();
        }
        source = s;
        // A new publisher counts as active from now: until its first packet it cannot be taken over.
        lastDataNanos = System.nanoTime();
        if (graceTimer != null) {
            graceTimer.cancel();
            graceTimer = null;
        }
        restartPath();
    }

    /**
     * The source delivers again from scratch (a relay link that reconnected): forget PSI, continuity
     * state and the GOP, and restart every subscriber on the next keyframe.
     */
    public void restartPath() {
        state = State.STARTING;
        aligner.reset();
        observer.reset();
        formatSeen = 0;
        gop.clear();
        for (Subscription sub : subscribers) {
            sub.live = false;
            sub.resync = false;
        }
    }

    /** The publisher left: keep subscribers for the grace period in case it comes back. */
    public void sourceLost(Source s) {
        if (source != s || ended) {
            return;
        }
        source = null;
        state = State.IDLE;
        int grace = host.config().stream().publisherGraceMs();
        graceTimer = loop.schedule(grace, () -> {
            graceTimer = null;
            if (source == null) {
                end("publisher_gone");
            }
        });
    }

    /** The source cannot deliver (upstream said not found, or stayed unreachable). */
    public void sourceFailed(Source s, String reason) {
        if (source == s) {
            end(reason);
        }
    }

    /** Ends the stream: leaves the registry first (so no new session joins it), then closes everything. */
    public void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        host.streamEnded(this, reason);
        if (graceTimer != null) {
            graceTimer.cancel();
        }
        if (lingerTimer != null) {
            lingerTimer.cancel();
        }
        Source s = source;
        source = null;
        if (s != null) {
            s.close();
        }
        int n = subscribers.size();
        for (Subscription sub : subscribers) {
            sub.closed = true;
            sub.closeTransport();
        }
        subscribers.clear();
        subscriberCount = 0;
        countKinds();
        if (n > 0 && !"unwatched".equals(reason)) {
            host.metrics().subscribersEnded(reason, n);
        }
        LOG.info("stream {} ended ({}), {} subscriber(s) closed", key, reason, n);
    }

    public boolean ended() {
        return ended;
    }
}
