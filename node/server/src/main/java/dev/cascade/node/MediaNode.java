package dev.cascade.node;

import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.config.NodeRole;
import dev.cascade.node.egress.srt.SrtSubscriber;
import dev.cascade.node.egress.whep.OpusAudioFeed;
import dev.cascade.node.egress.whep.WebRtcStreamOut;
import dev.cascade.transcoder.FfmpegSupervisor;
import dev.cascade.transcoder.OpusRendition;
import dev.cascade.node.egress.whep.WebRtcViewer;
import dev.cascade.node.egress.whep.WhepEndpoint;
import dev.cascade.node.ingest.whip.WhipEndpoint;
import dev.cascade.node.webrtc.WebRtcPort;
import java.util.HashMap;
import java.util.Map;
import dev.cascade.node.ingest.relay.RelayLink;
import dev.cascade.node.ingest.relay.StaticUpstream;
import dev.cascade.node.ingest.relay.UpstreamResolver;
import dev.cascade.node.ingest.srt.SrtPublisher;
import dev.cascade.node.metrics.NodeMetrics;
import dev.cascade.node.srt.Srt;
import dev.cascade.node.srt.SrtConnection;
import dev.cascade.node.srt.SrtConstants;
import dev.cascade.node.srt.SrtListener;
import dev.cascade.node.srt.SrtLoop;
import dev.cascade.node.srt.SrtRejectCode;
import dev.cascade.node.stream.Stream;
import dev.cascade.node.stream.StreamHost;
import dev.cascade.protocol.streamid.StreamId;
import dev.cascade.protocol.streamid.StreamIdParseException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One media server process in one role. It owns the SRT listener, the loop thread every SRT socket
 * lives on, and the registry of streams.
 *
 * <p>Who may connect is decided in libsrt's listen callback ({@link #admit}), the only point where
 * SRT can answer with a reject code:
 * <ul>
 *   <li>malformed stream ID: 1400 (1001 unknown key, 1405 unknown mode);</li>
 *   <li>publish to a relay or an edge: 1403; publish to a live stream: 1409, unless the current
 *       publisher has been silent for {@code stream.publisherTakeoverIdleMs};</li>
 *   <li>request at an origin for a stream it does not have: 1404. Relays and edges accept every
 *       well-formed request and pull it from upstream: the callback runs on libsrt's receive thread
 *       and cannot wait for the upstream answer, so a stream that never appears there is closed
 *       after {@code upstream.pullTimeoutMs} and counted as {@code not_found}.</li>
 *   <li>request at an edge the stream manager has DRAINING: 1402 (SRT_REJX_OVERLOAD: go elsewhere),
 *       counted as {@code node_draining}; its WHEP endpoint answers 503 the same way.</li>
 * </ul>
 */
public final class MediaNode implements StreamHost, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MediaNode.class);

    private final NodeConfig config;
    private final NodeRole role;
    private final NodeMetrics metrics;
    private final SrtLoop loop;
    /** Where relay links pull from: the configured upstream, or the stream manager's routes. */
    private final UpstreamResolver upstreams;
    /**
     * How long a relay or an edge answers 1404 at once for a stream whose pull just failed. Without
     * it, a downstream node whose link we just closed would reconnect at once, be accepted, and start
     * a fresh pull for a stream that is gone: the end of a stream would echo down the chain forever.
     */
    static final long NOT_FOUND_MEMORY_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);

    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> notFoundUntil = new ConcurrentHashMap<>();
    private final Set<SrtConnection> connections = new HashSet<>();
    private final Set<RelayLink> relayLinks = ConcurrentHashMap.newKeySet();
    private final ByteBuffer statsScratch = ByteBuffer.allocateDirect(1024);
    private final long statsAddress = Srt.address(statsScratch);
    private final long takeoverIdleNanos;
    private SrtListener listener;
    /** The stream manager has this node DRAINING: an edge takes no new viewers. */
    private volatile boolean draining;
    private WebRtcPort webrtc;
    private WhepEndpoint whep;
    private WhipEndpoint whip;
    /** Each stream's WebRTC output, owned by the loop thread. */
    private final Map<String, WebRtcStreamOut> webrtcOuts = new HashMap<>();
    /** Origin: the Opus-rendition transcoder of each AAC stream. Loop thread. */
    private final Map<String, FfmpegSupervisor> transcoders = new HashMap<>();

    /** A standalone node: pulls go to {@code upstream.host}/{@code upstream.port}. */
    public MediaNode(NodeConfig config) {
        this(config, new NodeMetrics(config), new StaticUpstream(config.upstream().host(), config.upstreamPort()));
    }

    /** A node whose pulls go where {@code upstreams} says (the stream manager's routes). */
    public MediaNode(NodeConfig config, NodeMetrics metrics, UpstreamResolver upstreams) {
        this.config = config;
        this.role = config.node().role();
        this.metrics = metrics;
        this.upstreams = upstreams;
        this.loop = new SrtLoop("srt-loop-" + config.nodeId(), 1000);
        this.takeoverIdleNanos = TimeUnit.MILLISECONDS.toNanos(config.stream().publisherTakeoverIdleMs());
        metrics.registerNode(streams::values, relayLinks::size);
    }

    /** Binds the SRT port and starts the loop. */
    public void start() {
        InetSocketAddress bind = new InetSocketAddress(config.srt().bindAddress(), config.srtPort());
        listener = new SrtListener(bind, config.srt().latencyMs(), config.srt().peerIdleTimeoutMs(),
                config.srt().backlog(), this::admit);
        loop.start();
        loop.execute(() -> loop.add(listener.socket(), SrtConstants.SRT_EPOLL_IN, (s, ev) -> acceptAll()));
        loop.addTicker(this::sampleStats);
        if (config.webrtcPort() > 0) {
            try {
                webrtc = new WebRtcPort(new InetSocketAddress(config.webrtc().bindAddress(), config.webrtcPort()), metrics,
                        java.time.Duration.ofMillis(config.webrtc().consentTimeoutMs()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot bind the WebRTC port " + config.webrtcPort(), e);
            }
            webrtc.start();
            if (role == NodeRole.EDGE) {
                whep = new WhepEndpoint(this, webrtc, config.candidateAddress());
            } else if (role == NodeRole.ORIGIN) {
                whip = new WhipEndpoint(this, webrtc, config.candidateAddress());
            }
            metrics.registerWebRtc(webrtc::sessionCount);
        }
        LOG.info("{} node {} listening for SRT on {}{}", role.wireName(), config.nodeId(), bind,
                role == NodeRole.ORIGIN ? ""
                        : config.managed() ? ", pulling along the stream manager's routes"
                        : ", pulling from " + config.upstream().host() + ":" + config.upstreamPort());
    }

    @Override
    public SrtLoop loop() {
        return loop;
    }

    @Override
    public NodeConfig config() {
        return config;
    }

    @Override
    public NodeMetrics metrics() {
        return metrics;
    }

    public Collection<Stream> streams() {
        return streams.values();
    }

    /** Whether the stream manager has this node DRAINING (from its heartbeat answers). */
    public boolean draining() {
        return draining;
    }

    /** Any thread: set from every heartbeat answer. */
    public void draining(boolean draining) {
        this.draining = draining;
    }

    /** Whether this node refuses new viewers now: an edge that is DRAINING. */
    public boolean refusesViewers() {
        return draining && role == NodeRole.EDGE;
    }

    /** The WHEP endpoint, or null on roles that serve no WebRTC viewers. */
    public WhepEndpoint whep() {
        return whep;
    }

    /** The WHIP endpoint, or null on roles that take no WebRTC publishers. */
    public WhipEndpoint whip() {
        return whip;
    }

    /**
     * The stream a new publisher may take, created if absent; null when it has a live publisher
     * (the 1409 / 409 rule). Loop thread.
     */
    public Stream streamForPublisher(String key) {
        Stream s = streams.get(key);
        if (s != null && !s.admitsPublisher(System.nanoTime(), takeoverIdleNanos)) {
            return null;
        }
        return s != null ? s : newStream(key);
    }

    /**
     * The stream's WebRTC output, made (and the stream pulled from upstream) on first use. Loop thread.
     */
    public WebRtcStreamOut webrtcOut(StreamId id) {
        Stream stream = pulledStream(id);
        WebRtcStreamOut out = webrtcOuts.get(id.key());
        if (out == null) {
            WebRtcStreamOut created = new WebRtcStreamOut(id.key(), webrtc.newBatch());
            Stream owner = stream;
            created.onClosed(() -> webrtcOuts.remove(id.key(), created));
            created.onNeedsOpusRendition(() -> feedOpusRendition(id, created));
            webrtcOuts.put(id.key(), created);
            owner.addSubscriber(created);
            out = created;
        }
        return out;
    }

    /**
     * The stream's audio is AAC: its WebRTC audio comes from the Opus rendition the origin's
     * transcoder publishes, pulled like any stream. Loop thread.
     */
    private void feedOpusRendition(StreamId source, WebRtcStreamOut out) {
        Stream renditionStream = pulledStream(StreamId.request(source.app(), OpusRendition.renditionName(source.name())));
        OpusAudioFeed feed = new OpusAudioFeed(out);
        renditionStream.addSubscriber(feed);
        out.onClosed(() -> renditionStream.removeSubscriber(feed));
    }

    // ---------------------------------------------------------------- origin: Opus renditions

    @Override
    public void streamFormat(Stream stream, boolean aacAudio, boolean opusAudio) {
        if (role != NodeRole.ORIGIN || !(stream.source() instanceof dev.cascade.node.stream.PushedSource)) {
            return;
        }
        String key = stream.key();
        String name = key.substring(key.indexOf('/') + 1);
        if (aacAudio && !opusAudio && !OpusRendition.isRendition(name) && !transcoders.containsKey(key)) {
            java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                    "cascade-" + config.nodeId() + "-" + key.replace('/', '_') + ".opus.log");
            transcoders.put(key, new FfmpegSupervisor(key + ".opus",
                    OpusRendition.command("127.0.0.1", config.srtPort(), key.substring(0, key.indexOf('/')), name,
                            config.upstream().latencyMs()), log).start());
            LOG.info("stream {} has AAC audio: transcoding it to Opus for WebRTC ({} -> {}{})", key, key, key,
                    OpusRendition.SUFFIX);
        }
    }

    /** A viewer left; the output leaves its stream with the last one (the pull then lingers). Loop thread. */
    public void removeWebRtcViewer(WebRtcStreamOut out, WebRtcViewer viewer) {
        out.removeViewer(viewer);
        releaseWebRtcOut(out);
    }

    /** The output leaves its stream once no viewer watches it and no ABR viewer taps it. Loop thread. */
    public void releaseWebRtcOut(WebRtcStreamOut out) {
        if (out.idle() && webrtcOuts.remove(out.streamKey(), out)) {
            Stream s = streams.get(out.streamKey());
            if (s != null) {
                s.removeSubscriber(out);
            }
        }
    }

    // ---------------------------------------------------------------- admission (libsrt thread)

    int admit(int socket, String rawStreamId, InetSocketAddress peer) {
        StreamId id;
        try {
            id = StreamId.parse(rawStreamId);
        } catch (StreamIdParseException e) {
            metrics.rejected(e.reason());
            // Logged from the loop thread: this thread receives every packet on the port.
            String what = quote(rawStreamId);
            loop.execute(() -> LOG.info("rejected {} from {}: {} ({})", what, peer, e.getMessage(), e.rejectCode()));
            return e.rejectCode();
        }
        if (id.mode() == StreamId.Mode.REQUEST && refusesViewers()) {
            metrics.rejected("node_draining");
            loop.execute(() -> LOG.info("rejected {} from {}: this edge is draining ({})", id.encode(), peer,
                    SrtRejectCode.OVERLOAD.code()));
            return SrtRejectCode.OVERLOAD.code();
        }
        SrtRejectCode reject = decide(id);
        if (reject != null) {
            metrics.rejected(reject.reason());
            loop.execute(() -> LOG.info("rejected {} from {}: {} ({})", id.encode(), peer, reject.reason(), reject.code()));
            return reject.code();
        }
        // Node-to-node pulls get the inter-node latency; SRT takes the larger of both sides' values.
        if (id.hop() != null) {
            Srt.setInt(socket, SrtConstants.SRTO_LATENCY, config.upstream().latencyMs());
        }
        return 0;
    }

    private SrtRejectCode decide(StreamId id) {
        Stream s = streams.get(id.key());
        if (id.mode() == StreamId.Mode.PUBLISH) {
            if (role != NodeRole.ORIGIN) {
                return SrtRejectCode.FORBIDDEN;
            }
            return s == null || s.admitsPublisher(System.nanoTime(), takeoverIdleNanos) ? null : SrtRejectCode.CONFLICT;
        }
        if (s == null) {
            if (role == NodeRole.ORIGIN) {
                return SrtRejectCode.NOT_FOUND;
            }
            Long until = notFoundUntil.get(id.key());
            if (until != null) {
                if (System.nanoTime() < until) {
                    return SrtRejectCode.NOT_FOUND;
                }
                notFoundUntil.remove(id.key(), until);
            }
        }
        return null;
    }

    private static String quote(String s) {
        if (s == null) {
            return "(no stream ID)";
        }
        String printable = s.codePoints().limit(80)
                .map(c -> c < 0x20 || c > 0x7e ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return "'" + printable + "'";
    }

    // ---------------------------------------------------------------- accepted sockets (loop thread)

    private void acceptAll() {
        int socket;
        while ((socket = Srt.accept(listener.socket())) >= 0) {
            try {
                onAccepted(socket);
            } catch (RuntimeException e) {
                LOG.error("accepting socket {} failed", socket, e);
                Srt.close(socket);
            }
        }
    }

    private void onAccepted(int socket) {
        InetSocketAddress peer = Srt.peerAddress(socket);
        StreamId id;
        try {
            id = StreamId.parse(Srt.getString(socket, SrtConstants.SRTO_STREAMID));
        } catch (RuntimeException e) {
            Srt.close(socket); // the listen callback already refused these; only a race gets here
            return;
        }
        if (id.mode() == StreamId.Mode.PUBLISH) {
            Stream stream = streamForPublisher(id.key());
            if (stream == null) {
                // Two publishers passed the callback at once: the second loses.
                metrics.rejected(SrtRejectCode.CONFLICT.reason());
                Srt.close(socket);
                return;
            }
            new SrtPublisher(this, stream, socket, peer).start();
            return;
        }
        if (role == NodeRole.ORIGIN && !streams.containsKey(id.key())) {
            metrics.rejected(SrtRejectCode.NOT_FOUND.reason());
            Srt.close(socket);
            return;
        }
        Stream stream = pulledStream(id);
        String kind = id.hop() == null ? "viewer" : "transcoder".equals(id.hop()) ? "transcoder" : "relay";
        new SrtSubscriber(this, stream, socket, peer, kind).start();
    }

    /** The stream, pulled from the upstream node on first demand (relays and edges). Loop thread. */
    private Stream pulledStream(StreamId id) {
        Stream s = streams.get(id.key());
        if (s == null) {
            s = newStream(id.key());
            new RelayLink(this, s, id, upstreams).start();
        }
        return s;
    }

    private Stream newStream(String key) {
        Stream s = new Stream(key, this);
        streams.put(key, s);
        metrics.registerStream(s);
        return s;
    }

    @Override
    public void streamEnded(Stream stream, String reason) {
        if (streams.remove(stream.key(), stream)) {
            metrics.unregister(stream);
        }
        FfmpegSupervisor transcoder = transcoders.remove(stream.key());
        if (transcoder != null) {
            transcoder.close();
        }
        if (role != NodeRole.ORIGIN && ("not_found".equals(reason) || "upstream_unreachable".equals(reason)
                || "upstream_no_data".equals(reason))) {
            notFoundUntil.put(stream.key(), System.nanoTime() + NOT_FOUND_MEMORY_NANOS);
        }
    }

    // ---------------------------------------------------------------- connections and links

    /** Starts sampling a connection's SRT statistics into metrics. Loop thread. */
    public void track(SrtConnection c) {
        if (connections.add(c)) {
            metrics.registerConnection(c);
        }
    }

    public void untrack(SrtConnection c) {
        if (connections.remove(c)) {
            metrics.unregister(c);
        }
    }

    public void relayLinkOpened(RelayLink link) {
        relayLinks.add(link);
    }

    public void relayLinkClosed(RelayLink link) {
        relayLinks.remove(link);
    }

    private void sampleStats() {
        for (SrtConnection c : connections) {
            c.stats().read(c.socket(), statsScratch, statsAddress);
        }
        long now = System.nanoTime();
        notFoundUntil.values().removeIf(until -> until < now);
        for (WebRtcStreamOut out : webrtcOuts.values()) {
            out.tick();
        }
    }

    @Override
    public void close() {
        try {
            loop.submit(() -> {
                for (Stream s : streams.values()) {
                    s.end("shutdown");
                }
                return null;
            }).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("shutdown: {}", e.toString());
        }
        transcoders.values().forEach(FfmpegSupervisor::close);
        loop.close();
        if (listener != null) {
            listener.close();
        }
        if (webrtc != null) {
            webrtc.close();
        }
    }
}
