package dev.cascade.manager.api;

import dev.cascade.manager.StreamIndex;
import dev.cascade.manager.StreamManager;
import dev.cascade.manager.state.NodeRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server-sent events for the dashboard (HTML Living Standard, section 9.2): one {@code snapshot}
 * event per second with the cluster totals and up to {@link #MAX_ROWS} nodes and streams. Each event
 * loop formats its snapshot once a second for all of its listeners.
 */
final class Events {
    static final int MAX_ROWS = 500;
    private final StreamManager m;
    private final List<HttpServerResponse> listeners = new ArrayList<>();
    private long timer = -1;

    Events(StreamManager m) {
        this.m = m;
    }

    void subscribe(RoutingContext ctx) {
        HttpServerResponse r = ctx.response();
        r.setChunked(true).putHeader("content-type", "text/event-stream").putHeader("cache-control", "no-store")
                .putHeader("x-accel-buffering", "no");
        r.write(event());
        listeners.add(r);
        r.closeHandler(v -> listeners.remove(r));
        if (timer < 0) {
            timer = ctx.vertx().setPeriodic(1000, id -> tick(ctx.vertx(), id));
        }
    }

    private void tick(io.vertx.core.Vertx vertx, long id) {
        listeners.removeIf(HttpServerResponse::closed);
        if (listeners.isEmpty()) {
            vertx.cancelTimer(id);
            timer = -1;
            return;
        }
        Buffer b = event();
        for (HttpServerResponse r : listeners) {
            if (!r.writeQueueFull()) { // a stalled dashboard skips snapshots instead of buffering them
                r.write(b);
            }
        }
    }

    private Buffer event() {
        Map<String, Object> snap = new LinkedHashMap<>();
        snap.put("time", Instant.now());
        snap.put("cluster", AdminHandlers.clusterSummary(m));
        List<NodeRecord> nodes = new ArrayList<>(m.nodes.values());
        nodes.sort(Comparator.comparing(NodeRecord::id));
        snap.put("nodes", nodes.size() > MAX_ROWS ? nodes.subList(0, MAX_ROWS) : nodes);
        List<StreamIndex.StreamStats> streams = new ArrayList<>();
        for (StreamIndex.StreamStats s : m.streamIndex().after(null)) {
            if (streams.size() == MAX_ROWS) {
                break;
            }
            streams.add(s);
        }
        snap.put("streams", streams);
        snap.put("autoscaling", m.scaleView.current());
        return Buffer.buffer("event: snapshot\ndata: ").appendBuffer(Json.write(snap)).appendString("\n\n");
    }
}
