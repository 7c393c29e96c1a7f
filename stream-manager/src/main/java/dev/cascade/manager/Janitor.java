package dev.cascade.manager;

import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeStream;
import dev.cascade.manager.state.Processors;
import dev.cascade.manager.state.RouteRecord;
import dev.cascade.manager.state.StreamRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once-only housekeeping, run every second by the oldest member only (Hazelcast's community edition
 * has no CP leader election; every member agrees on which member is oldest). If the oldest dies, the
 * next one takes over at its next tick. Every change is an entry processor that re-checks what the
 * janitor saw, so a heartbeat racing the janitor wins.
 *
 * <ul>
 *   <li>A node whose heartbeats stopped for {@code nodes.heartbeatTimeoutMs} becomes FAILED; the
 *       origin's streams stop being live and routes through it are dropped (nodes re-ask).</li>
 *   <li>FAILED and TERMINATED nodes are forgotten after {@code nodes.retentionMs}.</li>
 *   <li>A stream nobody publishes or carries is forgotten after {@code streams.idleRetentionMs}.</li>
 *   <li>A route link whose downstream node stopped carrying the stream, or whose ends are gone, is
 *       removed.</li>
 * </ul>
 */
final class Janitor {
    private static final Logger LOG = LoggerFactory.getLogger(Janitor.class);

    private final StreamManager m;
    /** Idle streams are looked for every 15th run: it walks every stream (100 k in bench/run placement). */
    private int runs;

    Janitor(StreamManager m) {
        this.m = m;
    }

    void run() {
        if (!m.state.isOldest()) {
            return;
        }
        Instant now = Instant.now();
        failSilentNodes(now);
        forgetGoneNodes(now);
        pruneRoutes(now);
        if (runs++ % 15 == 0) {
            forgetIdleStreams(now);
        }
    }

    private void failSilentNodes(Instant now) {
        Duration timeout = Duration.ofMillis(m.config.nodes().heartbeatTimeoutMs());
        for (NodeRecord n : m.nodes.values()) {
            if (n.state().alive() && n.lastHeartbeatAt().plus(timeout).isBefore(now)) {
                Boolean failed = m.state.nodes.executeOnKey(n.id(), new Processors.Fail(n.lastHeartbeatAt(), now));
                if (Boolean.TRUE.equals(failed)) {
                    m.metrics.nodeFailed();
                    LOG.warn("node {} ({} in {}) FAILED: no heartbeat since {}", n.id(), n.role().wireName(), n.region(),
                            n.lastHeartbeatAt());
                    for (NodeStream s : n.streams()) {
                        if (s.publishing()) {
                            m.state.streams.executeOnKey(s.key(), new Processors.OriginReport(n.id(), false, now));
                        }
                    }
                }
            }
        }
    }

    private void forgetGoneNodes(Instant now) {
        Duration retention = Duration.ofMillis(m.config.nodes().retentionMs());
        for (NodeRecord n : m.nodes.values()) {
            if (n.state().gone() && n.stateSince().plus(retention).isBefore(now)) {
                m.state.nodes.executeOnKey(n.id(), new Processors.Forget(n.stateSince()));
            }
        }
    }

    private void pruneRoutes(Instant now) {
        Duration grace = Duration.ofMillis(2L * m.config.nodes().heartbeatTimeoutMs());
        for (RouteRecord r : m.routes.values()) {
            for (Map.Entry<String, RouteRecord.Link> e : r.links().entrySet()) {
                NodeRecord from = m.nodes.get(e.getKey());
                NodeRecord to = m.nodes.get(e.getValue().to());
                boolean endsGone = from == null || !from.state().alive() || to == null || !to.state().alive();
                boolean stopped = from != null && from.stream(r.key()) == null
                        && e.getValue().since().plus(grace).isBefore(now);
                if (endsGone || stopped) {
                    m.state.routes.executeOnKey(r.key(), new Processors.Unlink(e.getKey(), e.getValue().to()));
                }
            }
        }
    }

    private void forgetIdleStreams(Instant now) {
        Duration idle = Duration.ofMillis(m.config.streams().idleRetentionMs());
        Set<String> carried = new HashSet<>();
        for (NodeRecord n : m.nodes.values()) {
            if (n.state().alive()) {
                for (NodeStream s : n.streams()) {
                    carried.add(s.key());
                }
            }
        }
        for (StreamRecord s : m.streams.values()) {
            if (!s.live() && !carried.contains(s.key()) && s.placedAt().plus(idle).isBefore(now)
                    && s.seenAt().plus(idle).isBefore(now)) {
                m.state.streams.executeOnKey(s.key(), new Processors.ForgetStream(s.seenAt(), s.placedAt()));
            }
        }
    }
}
