package dev.cascade.node.manager;

import dev.cascade.node.MediaNode;
import dev.cascade.node.egress.whep.WebRtcViewer;
import dev.cascade.node.ingest.relay.RelayLink;
import dev.cascade.node.manager.ManagerMessages.NodeStream;
import dev.cascade.node.stream.PushedSource;
import dev.cascade.node.stream.Source;
import dev.cascade.node.stream.Stream;
import dev.cascade.node.stream.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the node for a heartbeat: counts, and rates from the byte counters the packet path already
 * keeps (nothing is added per packet). Runs on the SRT loop thread, which owns every stream,
 * subscription and viewer, so it reads them without locks; the result is an immutable
 * {@link NodeReport}.
 *
 * <p>Rates are differences between two samples. Counters belong to objects that come and go
 * (streams, subscriptions, viewers), so the previous value is kept per object: an object seen for
 * the first time contributes its whole counter (it started since the last sample), and one that has
 * gone simply drops out instead of turning a node-wide sum negative.
 *
 * <ul>
 *   <li>in: TS bytes received per stream ({@code Stream.bytesIn}: SRT publishers, WHIP publishers
 *       after muxing, pulls from upstream);</li>
 *   <li>out: TS bytes sent to each SRT subscription (viewers, downstream nodes, transcoders) plus
 *       RTP payload bytes sent to each WHEP viewer. The stream's one WebRTC subscription is internal
 *       and not counted; its viewers are.</li>
 * </ul>
 */
public final class NodeReporter {
    /** The heartbeat schema's maxItems for {@code streams}. */
    static final int MAX_STREAMS = 10_000;

    private final MediaNode node;
    private IdentityHashMap<Object, Long> previous = new IdentityHashMap<>();
    private long previousNanos = System.nanoTime();

    public NodeReporter(MediaNode node) {
        this.node = node;
    }

    /** Loop thread. */
    public NodeReport sample() {
        long now = System.nanoTime();
        double seconds = Math.max((now - previousNanos) / 1e9, 0.001);
        IdentityHashMap<Object, Long> current = new IdentityHashMap<>(previous.size() + 16);
        long bytesOut = 0;
        Map<String, Integer> whepViewers = new HashMap<>();
        if (node.whep() != null) {
            for (WebRtcViewer v : node.whep().viewers().values()) {
                whepViewers.merge(v.streamKey(), 1, Integer::sum);
                bytesOut += delta(current, v, v.octetsSent());
            }
        }
        long bytesIn = 0;
        int publishers = 0;
        int subscribers = 0;
        int streamCount = 0;
        List<NodeStream> streams = new ArrayList<>();
        for (Stream s : node.streams()) {
            streamCount++;
            long in = delta(current, s, s.bytesIn);
            bytesIn += in;
            int subs = whepViewers.getOrDefault(s.key(), 0);
            for (Subscription sub : s.subscribers()) {
                if (sub.kind().startsWith("webrtc")) {
                    continue;
                }
                subs++;
                bytesOut += delta(current, sub, sub.bytesSent);
            }
            subscribers += subs;
            Source source = s.source();
            boolean publishing = source instanceof PushedSource;
            if (publishing) {
                publishers++;
            }
            if (streams.size() < MAX_STREAMS) {
                String upstream = source instanceof RelayLink link ? link.upstreamNode() : null;
                streams.add(new NodeStream(s.key(), publishing, subs, (int) Math.min(Integer.MAX_VALUE,
                        Math.round(in * 8 / seconds / 1000)), upstream));
            }
        }
        previous = current;
        previousNanos = now;
        return new NodeReport(mbps(bytesIn, seconds), mbps(bytesOut, seconds), publishers, subscribers, streamCount,
                streams, streamCount > streams.size());
    }

    private long delta(IdentityHashMap<Object, Long> current, Object owner, long counter) {
        current.put(owner, counter);
        Long before = previous.get(owner);
        return Math.max(0, before == null ? counter : counter - before);
    }

    /** Megabits per second, to the kilobit: finer adds nothing to placement. */
    private static double mbps(long bytes, double seconds) {
        return Math.round(bytes * 8 / seconds / 1000) / 1000.0;
    }
}
