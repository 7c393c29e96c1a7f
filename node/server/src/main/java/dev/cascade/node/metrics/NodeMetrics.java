package dev.cascade.node.metrics;

import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.srt.SrtConnection;
import dev.cascade.node.stream.Stream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Every metric a node exposes at {@code /metrics}. Per-packet counters live as plain fields on the
 * objects that own them (written by one loop thread) and are read here through function counters,
 * so the packet path never touches Micrometer. Names: docs/metrics.md.
 */
public final class NodeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final Map<String, Counter> ended = new ConcurrentHashMap<>();
    private final Map<Object, List<Meter>> owned = new ConcurrentHashMap<>();
    private final Map<String, Counter> managerRequests = new ConcurrentHashMap<>();
    private final Counter relayLinkStarts;
    private final Counter relayLinkAttempts;
    private final Counter managerFailovers;
    private final Map<String, Counter> drainPlacements = new ConcurrentHashMap<>();
    private final Map<String, Counter> abrSwitches = new ConcurrentHashMap<>();
    private final Counter toldToMove;
    private final Counter moved;

    public NodeMetrics(NodeConfig config) {
        registry.config().commonTags("node", config.nodeId(), "role", config.node().role().wireName(),
                "region", config.node().region());
        new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmGcMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
        new io.micrometer.core.instrument.binder.system.ProcessorMetrics().bindTo(registry);
        relayLinkStarts = Counter.builder("cascade_relay_link_starts")
                .description("Pulls from the upstream node opened for a stream (one per stream however many subscribers)")
                .register(registry);
        relayLinkAttempts = Counter.builder("cascade_relay_link_connect_attempts")
                .description("SRT connection attempts to the upstream node, including retries")
                .register(registry);
        managerFailovers = Counter.builder("cascade_manager_client_failovers")
                .description("Moves to the next stream manager URL after a connection error, a timeout or a 5xx")
                .register(registry);
        toldToMove = Counter.builder("cascade_subscribers_told_to_move")
                .description("WHEP viewers of this draining edge sent a reconnect event naming another edge")
                .register(registry);
        moved = Counter.builder("cascade_subscribers_moved")
                .description("WHEP viewers told to move that then ended their session here (their new one plays)")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public String scrape() {
        return registry.scrape();
    }

    /** Node-wide gauges over the registry of streams. */
    public void registerNode(java.util.function.Supplier<java.util.Collection<Stream>> streams,
                             java.util.function.IntSupplier relayLinks) {
        Gauge.builder("cascade_streams", () -> streams.get().size())
                .description("Streams on this node").register(registry);
        Gauge.builder("cascade_publishers", () -> streams.get().stream()
                        .filter(s -> s.source() != null && "publisher".equals(s.source().kind())).count())
                .description("Streams with a live SRT publisher").register(registry);
        Gauge.builder("cascade_subscribers", () -> streams.get().stream().mapToInt(s -> s.subscriberCount).sum())
                .description("Subscribers (viewers and downstream nodes) on this node").register(registry);
        Gauge.builder("cascade_relay_links", relayLinks::getAsInt)
                .description("Open pulls from the upstream node").register(registry);
    }

    /** WebRTC gauges, on roles that serve WebRTC. */
    public void registerWebRtc(java.util.function.IntSupplier viewers) {
        Gauge.builder("cascade_webrtc_sessions", viewers::getAsInt)
                .description("WebRTC sessions (WHEP viewers, WHIP publishers) on this node").register(registry);
    }

    public void rejected(String reason) {
        rejections.computeIfAbsent(reason, r -> Counter.builder("cascade_rejections")
                .description("Sessions refused or cut off, by reason (SRT reject codes in docs/errors.md)")
                .tag("reason", r).register(registry)).increment();
    }

    /** Subscribers closed because their stream ended, by the stream's end reason. */
    public void subscribersEnded(String reason, int n) {
        ended.computeIfAbsent(reason, r -> Counter.builder("cascade_subscribers_closed")
                .description("Subscribers closed because their stream ended, by reason")
                .tag("reason", r).register(registry)).increment(n);
    }

    /**
     * One answered (or failed) call to a stream manager URL. {@code call}: register, heartbeat,
     * deregister, route; {@code outcome}: a fixed word per kind of answer (docs/metrics.md).
     */
    public void managerRequest(String call, String outcome) {
        managerRequests.computeIfAbsent(call + "/" + outcome, k -> Counter.builder("cascade_manager_client_requests")
                .description("Calls to the stream manager by call and outcome, one per URL tried")
                .tag("call", call).tag("outcome", outcome).register(registry)).increment();
    }

    public void managerFailover() {
        managerFailovers.increment();
    }

    /** 1 while the stream manager has this node registered (its last answer was a success). */
    public void registerManager(java.util.function.BooleanSupplier registered) {
        Gauge.builder("cascade_manager_client_registered", () -> registered.getAsBoolean() ? 1 : 0)
                .description("1 while this node is registered with the stream manager").register(registry);
    }

    /** One ask of a draining edge for another edge: {@code ok}, {@code no_capacity}, {@code failed}. */
    public void drainPlacement(String outcome) {
        drainPlacements.computeIfAbsent(outcome, o -> Counter.builder("cascade_drain_placements")
                .description("Asks of this draining edge for another edge for a stream's viewers, by outcome")
                .tag("outcome", o).register(registry)).increment();
    }

    /** One ABR switch of a WHEP viewer, by reason (start, down_remb, up_remb_held, up_probed, fallback_source, ladder_back). */
    public void abrSwitch(String reason) {
        abrSwitches.computeIfAbsent(reason, r -> Counter.builder("cascade_abr_switches")
                .description("ABR variant switches of WHEP viewers, by reason (docs/abr.md)")
                .tag("reason", r).register(registry)).increment();
    }

    public void subscriberToldToMove() {
        toldToMove.increment();
    }

    public void subscriberMoved() {
        moved.increment();
    }

    /** 1 while the stream manager has this node DRAINING (managed nodes only). */
    public void registerDraining(java.util.function.BooleanSupplier draining) {
        Gauge.builder("cascade_node_draining", () -> draining.getAsBoolean() ? 1 : 0)
                .description("1 while the stream manager has this node DRAINING: no new viewers, WHEP viewers moved away")
                .register(registry);
    }

    public void relayLinkStarted() {
        relayLinkStarts.increment();
    }

    public void relayLinkAttempt() {
        relayLinkAttempts.increment();
    }

    public void registerStream(Stream s) {
        Tags t = Tags.of("stream", s.key());
        List<Meter> m = new ArrayList<>();
        m.add(fc("cascade_stream_bytes_in", "TS bytes received for the stream", t, s, x -> x.bytesIn));
        m.add(fc("cascade_stream_packets_in", "TS packets received for the stream", t, s, x -> x.packetsIn));
        m.add(fc("cascade_stream_bytes_out", "TS bytes sent to the stream's subscribers", t, s, x -> x.bytesOut));
        m.add(fc("cascade_stream_packets_out", "TS packets sent to the stream's subscribers", t, s, x -> x.packetsOut));
        m.add(fc("cascade_stream_packets_dropped", "TS packets dropped for subscribers too slow to take them", t, s,
                x -> x.packetsDropped));
        m.add(fc("cascade_stream_keyframes", "Keyframes seen", t, s, Stream::keyframes));
        m.add(fc("cascade_ts_errors", "TS errors seen on ingest", t.and("type", "sync_loss"), s, Stream::syncLossEvents));
        m.add(fc("cascade_ts_errors", "TS errors seen on ingest", t.and("type", "continuity"), s, Stream::continuityErrors));
        m.add(fc("cascade_ts_errors", "TS errors seen on ingest", t.and("type", "transport_error"), s, Stream::transportErrors));
        m.add(fc("cascade_ts_errors", "TS errors seen on ingest", t.and("type", "psi"), s, Stream::psiErrors));
        m.add(fc("cascade_ts_errors", "TS errors seen on ingest", t.and("type", "pes"), s, Stream::pesErrors));
        for (String kind : Stream.KINDS) {
            m.add(Gauge.builder("cascade_stream_subscribers", s, x -> x.subscribers(kind)).tags(t.and("kind", kind))
                    .description("Subscribers of the stream by kind (viewer, relay, transcoder, webrtc)").register(registry));
        }
        owned.put(s, m);
    }

    public void registerConnection(SrtConnection c) {
        Tags t = Tags.of("stream", c.streamKey(), "direction", c.direction(), "socket", Integer.toString(c.socket()));
        var st = c.stats();
        List<Meter> m = new ArrayList<>();
        m.add(Gauge.builder("cascade_srt_rtt_milliseconds", st, x -> x.rttMs).tags(t)
                .description("SRT round-trip time").register(registry));
        m.add(Gauge.builder("cascade_srt_bandwidth_mbps", st, x -> x.bandwidthMbps).tags(t)
                .description("SRT estimated link bandwidth").register(registry));
        m.add(Gauge.builder("cascade_srt_send_rate_mbps", st, x -> x.sendRateMbps).tags(t)
                .description("SRT sending rate").register(registry));
        m.add(Gauge.builder("cascade_srt_receive_rate_mbps", st, x -> x.receiveRateMbps).tags(t)
                .description("SRT receiving rate").register(registry));
        m.add(fc("cascade_srt_packets_lost", "SRT packets lost (sender and receiver side)", t, st,
                x -> x.packetsSendLost + x.packetsReceiveLost));
        m.add(fc("cascade_srt_packets_retransmitted", "SRT packets retransmitted", t, st, x -> x.packetsRetransmitted));
        m.add(fc("cascade_srt_packets_dropped", "SRT packets dropped as too late (sender and receiver side)", t, st,
                x -> x.packetsSendDropped + x.packetsReceiveDropped));
        m.add(fc("cascade_srt_bytes_sent", "SRT payload bytes sent, retransmissions included", t, st, x -> x.bytesSent));
        m.add(fc("cascade_srt_bytes_received", "SRT payload bytes received", t, st, x -> x.bytesReceived));
        owned.put(c, m);
    }

    /** Removes the meters registered for a stream or a connection. */
    public void unregister(Object owner) {
        List<Meter> m = owned.remove(owner);
        if (m != null) {
            m.forEach(registry::remove);
        }
    }

    private <T> FunctionCounter fc(String name, String description, Tags tags, T obj, ToDoubleFunction<T> f) {
        return FunctionCounter.builder(name, obj, f).tags(tags).description(description).register(registry);
    }
}
