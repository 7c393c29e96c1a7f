package dev.cascade.manager;

import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.NodeStream;
import dev.cascade.manager.state.RouteRecord;
import dev.cascade.manager.state.StreamRecord;
import dev.cascade.manager.state.TranscodeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every stream the cluster knows, with the nodes that carry it and its route, assembled from the
 * local views: the stream records (which origin), the nodes' heartbeats (who carries it, how many
 * subscribers, what bitrate) and the route records (who pulls from whom).
 */
public final class StreamIndex {
    /** One node's share of a stream. */
    public record NodeShare(String id, NodeRole role, int subscribers, int kbps, String upstream) {}

    public record Link(String from, String to) {}

    /**
     * The stream's ABR transcode job ({@code cascade.transcodes}).
     *
     * @param transcoder the transcoder running the ladder; null while none has room (the stream plays
     *                   without variants)
     * @param variants   the variant streams the ladder publishes, level 1 first
     * @param from       where the ladder comes from: {@code stream} or {@code group}
     */
    public record Transcode(String transcoder, List<String> variants, String from, Instant since) {
        static Transcode of(TranscodeRecord r) {
            List<String> variants = new ArrayList<>();
            r.ladder().forEach(l -> variants.add(r.stream() + "_" + l.level()));
            return new Transcode(r.transcoder(), List.copyOf(variants), r.from(), r.since());
        }
    }

    /**
     * @param subscribers viewers at the end of the tree: every node's subscribers minus the pulls of
     *                    other nodes (a relay's subscribers are mostly edges)
     * @param routes      the route links, and each transcoder's pull from the origin
     * @param transcode   its ABR transcode job; null when it has none (no provision, or a variant)
     */
    public record StreamStats(String key, boolean live, String origin, int subscribers, int bitrateKbps,
                              List<NodeShare> nodes, List<Link> routes, Transcode transcode) {}

    private final TreeMap<String, StreamStats> byKey;

    private StreamIndex(TreeMap<String, StreamStats> byKey) {
        this.byKey = byKey;
    }

    public static StreamIndex build(Collection<StreamRecord> streams, Collection<NodeRecord> nodes,
                                    Map<String, RouteRecord> routes, Map<String, TranscodeRecord> transcodes) {
        TreeMap<String, List<NodeShare>> shares = new TreeMap<>();
        for (NodeRecord n : nodes) {
            if (!n.state().alive()) {
                continue;
            }
            for (NodeStream s : n.streams()) {
                shares.computeIfAbsent(s.key(), k -> new ArrayList<>())
                        .add(new NodeShare(n.id(), n.role(), s.subscribers(), s.kbps(), s.upstream()));
            }
        }
        TreeMap<String, StreamRecord> records = new TreeMap<>();
        for (StreamRecord r : streams) {
            records.put(r.key(), r);
        }
        TreeMap<String, StreamStats> out = new TreeMap<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(shares.keySet());
        keys.addAll(records.keySet());
        for (String key : keys) {
            List<NodeShare> ns = shares.getOrDefault(key, List.of());
            StreamRecord rec = records.get(key);
            int pulls = 0;
            int subscribers = 0;
            int bitrate = 0;
            String origin = rec != null ? rec.origin() : null;
            for (NodeShare s : ns) {
                subscribers += s.subscribers();
                if (s.upstream() != null) {
                    pulls++;
                }
                if (s.id().equals(origin) || (origin == null && s.role() == NodeRole.ORIGIN)) {
                    bitrate = s.kbps();
                }
            }
            List<Link> links = new ArrayList<>();
            RouteRecord route = routes.get(key);
            if (route != null) {
                new TreeMap<>(route.links()).forEach((from, l) -> links.add(new Link(from, l.to())));
            }
            // A transcoder pulls from the origin it was given with its job, not along a route.
            for (NodeShare share : ns) {
                if (share.role() == NodeRole.TRANSCODER && share.upstream() != null
                        && (route == null || !route.links().containsKey(share.id()))) {
                    links.add(new Link(share.id(), share.upstream()));
                }
            }
            TranscodeRecord job = transcodes.get(key);
            out.put(key, new StreamStats(key, rec != null && rec.live(), origin, Math.max(0, subscribers - pulls), bitrate,
                    List.copyOf(ns), List.copyOf(links), job == null ? null : Transcode.of(job)));
        }
        return new StreamIndex(out);
    }

    public StreamStats get(String key) {
        return byKey.get(key);
    }

    /** Streams after {@code cursor} in key order (all when cursor is null). */
    public Collection<StreamStats> after(String cursor) {
        return cursor == null ? byKey.values() : byKey.tailMap(cursor, false).values();
    }

    public int size() {
        return byKey.size();
    }

    public int liveCount() {
        int n = 0;
        for (StreamStats s : byKey.values()) {
            if (s.live()) {
                n++;
            }
        }
        return n;
    }

    public int subscribers() {
        int n = 0;
        for (StreamStats s : byKey.values()) {
            n += s.subscribers();
        }
        return n;
    }
}
