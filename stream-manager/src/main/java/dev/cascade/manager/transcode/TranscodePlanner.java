package dev.cascade.manager.transcode;

import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.NodeState;
import dev.cascade.manager.state.Provision;
import dev.cascade.manager.state.StreamRecord;
import dev.cascade.manager.state.TranscodeRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which transcoder runs which stream's ABR ladder: pure (no cluster access), so every branch is
 * tested in {@code TranscodePlannerTest}; the {@link TranscodeAssigner} runs it on the oldest member
 * and writes its changes.
 *
 * <p>A stream gets a job when it is live at an origin that is alive, it is neither a variant nor an
 * Opus rendition ({@link #notTranscoded}), and it has an effective provision ({@link #effective}: its
 * own, else its origin's node group's {@code abr}). Its transcoder:
 * <ol>
 *   <li>stays the one it has while that one is INSERVICE (stream-affine: a healthy job never moves,
 *       however the load shifts; a move costs the viewers of every variant a reconnect);</li>
 *   <li>otherwise (new, or its transcoder FAILED, DRAINING or gone) is the INSERVICE transcoder with
 *       room ({@code capacity.maxJobs}, counting the jobs this plan gives) in the origin's region, else
 *       in any region, with the fewest jobs, then the lowest CPU, then the lowest id (so every member
 *       would answer alike); a DRAINING transcoder keeps its job while no other one has room (make
 *       before break: the autoscaler's replacement takes it over once INSERVICE);</li>
 *   <li>is null when none has room: the record says so (visible in the API) and the stream plays
 *       without variants until a transcoder comes.</li>
 * </ol>
 * A job whose origin or ladder changed is updated in place (its transcoder restarts ffmpeg); a job
 * whose stream stopped, lost its provision or became excluded ends.
 */
public final class TranscodePlanner {
    private TranscodePlanner() {}

    /** A stream's effective provision and where it comes from ({@link TranscodeRecord#FROM_STREAM} or FROM_GROUP). */
    public record Effective(Provision provision, String from) {}

    /** A change to one stream's job: {@code before} (as seen; null: none) becomes {@code after} (null: ends). */
    public record Change(String stream, TranscodeRecord before, TranscodeRecord after, String why) {
        public String action() {
            if (after == null) {
                return "drop";
            }
            if (after.transcoder() == null) {
                return "wait";
            }
            if (before == null || before.transcoder() == null) {
                return "assign";
            }
            return before.transcoder().equals(after.transcoder()) ? "update" : "move";
        }
    }

    /** What the plan reads: this member's views of the cluster maps. */
    public record Inputs(Map<String, StreamRecord> streams, Map<String, NodeRecord> nodes,
                         Map<String, Provision> provisions, Map<String, Provision> groupAbr,
                         Map<String, TranscodeRecord> current) {}

    /**
     * The stream's own provision, else its origin's node group's default; null when neither exists.
     * The origin is the one its stream record names (a stream not yet placed has no group).
     */
    public static Effective effective(String key, Map<String, Provision> provisions, Map<String, Provision> groupAbr,
                                      StreamRecord stream, Map<String, NodeRecord> nodes) {
        Provision own = provisions.get(key);
        if (own != null) {
            return new Effective(own, TranscodeRecord.FROM_STREAM);
        }
        NodeRecord origin = stream == null || stream.origin() == null ? null : nodes.get(stream.origin());
        Provision group = origin == null || origin.group().isEmpty() ? null : groupAbr.get(origin.group());
        return group == null ? null : new Effective(group, TranscodeRecord.FROM_GROUP);
    }

    /**
     * Why a stream is never transcoded, or null: an Opus rendition ({@code NAME.opus}, the origin's
     * own audio pass), or a variant: {@code NAME_n} (n = 1..8, the naming of
     * {@code dev.cascade.transcoder.Ladder#variantName}) while {@code NAME} is known to the cluster or
     * has a job. Without this a group's default ladder would apply to the variants themselves.
     */
    public static String notTranscoded(String key, Map<String, StreamRecord> streams,
                                       Map<String, TranscodeRecord> current) {
        int slash = key.indexOf('/');
        String name = key.substring(slash + 1);
        if (name.endsWith(".opus")) {
            return key + " is an Opus rendition";
        }
        String base = variantBase(name);
        if (base != null) {
            String baseKey = key.substring(0, slash + 1) + base;
            if (streams.containsKey(baseKey) || current.containsKey(baseKey)) {
                return key + " is a variant of " + baseKey;
            }
        }
        return null;
    }

    /** {@code NAME} of a name of the form {@code NAME_1} .. {@code NAME_8}; else null. */
    static String variantBase(String name) {
        int u = name.lastIndexOf('_');
        if (u <= 0 || u != name.length() - 2) {
            return null;
        }
        char d = name.charAt(u + 1);
        return d >= '1' && d <= '8' ? name.substring(0, u) : null;
    }

    private record Wanted(StreamRecord stream, NodeRecord origin, Effective effective) {}

    public static List<Change> plan(Inputs in, Instant now) {
        // What should be transcoded, in key order (so the plan is the same whichever member makes it).
        TreeMap<String, Wanted> wanted = new TreeMap<>();
        Map<String, String> unwanted = new HashMap<>();
        for (StreamRecord s : in.streams().values()) {
            String why = unwantedBecause(s, in);
            if (why != null) {
                unwanted.put(s.key(), why);
                continue;
            }
            NodeRecord origin = in.nodes().get(s.origin());
            wanted.put(s.key(), new Wanted(s, origin, effective(s.key(), in.provisions(), in.groupAbr(), s, in.nodes())));
        }
        // Healthy jobs stay where they are, and count first.
        Map<String, Integer> jobs = new HashMap<>();
        Map<String, String> chosen = new HashMap<>();
        Map<String, String> whyMoved = new HashMap<>();
        for (String key : wanted.keySet()) {
            TranscodeRecord cur = in.current().get(key);
            if (cur == null || cur.transcoder() == null) {
                continue;
            }
            NodeRecord t = in.nodes().get(cur.transcoder());
            if (t != null && t.role() == NodeRole.TRANSCODER && t.state() == NodeState.INSERVICE) {
                chosen.put(key, t.id());
                jobs.merge(t.id(), 1, Integer::sum);
            } else {
                whyMoved.put(key, "transcoder " + cur.transcoder() + " is " + (t == null ? "gone" : t.state()));
            }
        }
        List<Change> out = new ArrayList<>();
        for (Map.Entry<String, Wanted> e : wanted.entrySet()) {
            String key = e.getKey();
            Wanted w = e.getValue();
            TranscodeRecord cur = in.current().get(key);
            String t = chosen.get(key);
            String why;
            if (t == null) {
                NodeRecord picked = pick(w.origin().region(), in.nodes(), jobs);
                t = picked == null ? null : picked.id();
                if (picked != null) {
                    jobs.merge(t, 1, Integer::sum);
                } else if (cur != null && cur.transcoder() != null && draining(in.nodes().get(cur.transcoder()))) {
                    // Make before break: a draining transcoder keeps its job until another one has room.
                    t = cur.transcoder();
                }
                String because = whyMoved.getOrDefault(key, cur != null ? "it had no transcoder"
                        : TranscodeRecord.FROM_STREAM.equals(w.effective().from()) ? "live, with a provision of its own"
                        : "live, under its node group's default ladder");
                why = picked == null ? because + "; no transcoder in service has room"
                        : because + "; " + picked.id() + " in " + picked.region() + " has the fewest jobs with room";
            } else {
                why = !cur.origin().equals(w.stream().origin()) ? "the stream moved to origin " + w.stream().origin()
                        : !cur.ladder().equals(w.effective().provision().ladder()) ? "the ladder changed"
                        : "the ladder now comes from the " + w.effective().from();
            }
            Instant since = cur != null && Objects.equals(cur.transcoder(), t) ? cur.since() : now;
            TranscodeRecord next = new TranscodeRecord(key, t, w.stream().origin(), w.effective().provision().ladder(),
                    w.effective().from(), since);
            if (!next.sameJob(cur)) {
                out.add(new Change(key, cur, next, why));
            }
        }
        for (TranscodeRecord cur : in.current().values()) {
            if (!wanted.containsKey(cur.stream())) {
                out.add(new Change(cur.stream(), cur, null, unwanted.getOrDefault(cur.stream(), "the stream is gone")));
            }
        }
        out.sort(Comparator.comparing(Change::stream));
        return out;
    }

    private static boolean draining(NodeRecord n) {
        return n != null && n.role() == NodeRole.TRANSCODER && n.state() == NodeState.DRAINING;
    }

    private static String unwantedBecause(StreamRecord s, Inputs in) {
        if (!s.live() || s.origin() == null) {
            return "the stream is not live";
        }
        NodeRecord origin = in.nodes().get(s.origin());
        if (origin == null || !origin.state().alive()) {
            return "its origin " + s.origin() + " is " + (origin == null ? "gone" : origin.state());
        }
        String excluded = notTranscoded(s.key(), in.streams(), in.current());
        if (excluded != null) {
            return excluded;
        }
        return effective(s.key(), in.provisions(), in.groupAbr(), s, in.nodes()) == null ? "the stream has no provision" : null;
    }

    /** The INSERVICE transcoder with room, in {@code region} first, with the fewest jobs, then the lowest CPU, then id. */
    static NodeRecord pick(String region, Map<String, NodeRecord> nodes, Map<String, Integer> jobs) {
        Comparator<NodeRecord> order = Comparator.comparingInt((NodeRecord n) -> jobs.getOrDefault(n.id(), 0))
                .thenComparingDouble(n -> n.load().cpu()).thenComparing(NodeRecord::id);
        NodeRecord inRegion = null;
        NodeRecord anywhere = null;
        for (NodeRecord n : nodes.values()) {
            if (n.role() != NodeRole.TRANSCODER || n.state() != NodeState.INSERVICE) {
                continue;
            }
            int max = n.capacity().maxJobs();
            if (max > 0 && jobs.getOrDefault(n.id(), 0) >= max) {
                continue;
            }
            if (anywhere == null || order.compare(n, anywhere) < 0) {
                anywhere = n;
            }
            if (n.region().equals(region) && (inRegion == null || order.compare(n, inRegion) < 0)) {
                inRegion = n;
            }
        }
        return inRegion != null ? inRegion : anywhere;
    }
}
