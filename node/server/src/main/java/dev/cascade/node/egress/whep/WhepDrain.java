package dev.cascade.node.egress.whep;

import dev.cascade.node.metrics.NodeMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a draining edge's WebRTC viewers to another edge, make-before-break: the edge only tells
 * them where to go; each player opens its new session there, waits until it plays, then DELETEs the
 * old one here (clients/README.md, "Moving to another edge").
 *
 * <p>At every heartbeat answer that says DRAINING ({@link #heartbeat}), the viewers that asked for
 * {@code reconnect} events and have not been told yet (or were told {@link #RETELL_AFTER_MS} ago and
 * are still here: their move failed) are grouped by stream; for each stream the stream manager is
 * asked once for an edge ({@link EdgeFinder}), and every one of them gets
 * {@code event: reconnect / data: {"url": "<that edge's whepUrl>"}} (draft-ietf-wish-whep-02 section
 * 4.9.1.4). With no edge to go to (503 no-capacity, or no manager answering) nothing is sent, the
 * viewers keep playing here, the answer is logged once per drain and counted, and the next heartbeat
 * asks again. Viewers without an event stream are not told and play here until the node stops.
 *
 * <p>Counted: {@code cascade_drain_placements_total{outcome}} per ask,
 * {@code cascade_subscribers_told_to_move_total} per reconnect event sent, and
 * {@code cascade_subscribers_moved_total} when a told viewer DELETEs its session here (its player
 * does that only once the new session plays). Thread-safe: heartbeats arrive on the manager link's
 * context, answers on whatever thread completes them.
 */
public final class WhepDrain {
    private static final Logger LOG = LoggerFactory.getLogger(WhepDrain.class);
    /** A told viewer still here this long later is told again (with a fresh placement). */
    public static final long RETELL_AFTER_MS = 10_000;

    /** What the drain needs of the event streams ({@link WhepEvents}). */
    public interface Events {
        /** Whether the session's event stream takes {@code event}. */
        boolean wants(String sessionId, String event);

        /** Sends {@code event} with one line of JSON {@code data} to the session's event stream. */
        void send(String sessionId, String event, String data);
    }

    private final Map<String, WebRtcViewer> viewers;
    private final Events events;
    private final EdgeFinder finder;
    private final String nodeId;
    private final NodeMetrics metrics;
    /** Streams with an ask in flight: one per stream at a time. */
    private final Set<String> asking = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;
    private volatile boolean stuckLogged;

    /**
     * @param viewers the edge's WHEP viewers by session id (WhepEndpoint's live map)
     * @param nodeId  this node, so an answer naming it (placement never should) is not obeyed
     */
    public WhepDrain(Map<String, WebRtcViewer> viewers, Events events, EdgeFinder finder, String nodeId,
                     NodeMetrics metrics) {
        this.viewers = viewers;
        this.events = events;
        this.finder = finder;
        this.nodeId = nodeId;
        this.metrics = metrics;
    }

    public boolean draining() {
        return draining;
    }

    /** A heartbeat answer: {@code draining} when the manager has this node DRAINING. */
    public void heartbeat(boolean draining) {
        boolean was = this.draining;
        this.draining = draining;
        if (!draining) {
            if (was) {
                LOG.info("no longer draining: WHEP viewers stay, new ones are taken again");
            }
            stuckLogged = false;
            return;
        }
        long now = System.nanoTime();
        Map<String, List<Map.Entry<String, WebRtcViewer>>> due = new LinkedHashMap<>();
        for (var e : viewers.entrySet()) {
            WebRtcViewer v = e.getValue();
            if (v.toldToMoveAtNanos != 0
                    && now - v.toldToMoveAtNanos < TimeUnit.MILLISECONDS.toNanos(RETELL_AFTER_MS)) {
                continue;
            }
            if (events.wants(e.getKey(), "reconnect")) {
                due.computeIfAbsent(v.streamKey(), k -> new ArrayList<>()).add(Map.entry(e.getKey(), v));
            }
        }
        if (!was) {
            LOG.info("draining: {} WHEP viewers here, {} of them (of {} streams) take reconnect events; asking the stream "
                    + "manager where they should go", viewers.size(), due.values().stream().mapToInt(List::size).sum(), due.size());
        }
        due.forEach(this::move);
    }

    private void move(String streamKey, List<Map.Entry<String, WebRtcViewer>> those) {
        if (!asking.add(streamKey)) {
            return;
        }
        finder.find(streamKey).whenComplete((answer, error) -> {
            try {
                if (error != null) {
                    answer = new EdgeFinder.Failed(error.toString());
                }
                if (answer instanceof EdgeFinder.Found f && nodeId.equals(f.nodeId())) {
                    answer = new EdgeFinder.NoCapacity("the placement named this node itself");
                }
                if (answer instanceof EdgeFinder.Found f) {
                    metrics.drainPlacement("ok");
                    tell(streamKey, those, f);
                } else {
                    String outcome = answer instanceof EdgeFinder.NoCapacity ? "no_capacity" : "failed";
                    metrics.drainPlacement(outcome);
                    if (!stuckLogged) {
                        stuckLogged = true;
                        LOG.warn("draining, but there is no other edge for {} yet ({}); its {} viewers keep playing here "
                                + "and the stream manager is asked again at each heartbeat", streamKey,
                                answer instanceof EdgeFinder.NoCapacity n ? n.detail() : ((EdgeFinder.Failed) answer).detail(),
                                those.size());
                    }
                }
            } finally {
                asking.remove(streamKey);
            }
        });
    }

    private void tell(String streamKey, List<Map.Entry<String, WebRtcViewer>> those, EdgeFinder.Found to) {
        if (!draining) {
            return; // undrained while we asked
        }
        String data = WhepEvents.reconnectData(to.whepUrl());
        int told = 0;
        long now = System.nanoTime();
        for (var e : those) {
            String id = e.getKey();
            WebRtcViewer v = e.getValue();
            if (viewers.get(id) != v || !events.wants(id, "reconnect")) {
                continue; // left meanwhile
            }
            v.movedTo = to.whepUrl();
            v.toldToMoveAtNanos = now;
            events.send(id, "reconnect", data);
            metrics.subscriberToldToMove();
            told++;
        }
        if (told > 0) {
            LOG.info("draining: told {} WHEP viewers of {} to move to {} ({})", told, streamKey, to.nodeId(), to.whepUrl());
        }
    }

    /** A viewer DELETEd its session: a move completed if it had been told to move. */
    public void deleted(WebRtcViewer v) {
        if (v.movedTo != null) {
            metrics.subscriberMoved();
        }
    }
}
