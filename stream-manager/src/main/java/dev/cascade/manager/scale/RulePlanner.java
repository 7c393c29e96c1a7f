package dev.cascade.manager.scale;

import dev.cascade.manager.state.CloudChoice;
import dev.cascade.manager.state.DeploymentRecord.DeployedNode;
import dev.cascade.manager.state.NodeGroupRule;
import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.NodeState;
import dev.cascade.manager.state.ScaleDecision.Action;
import dev.cascade.manager.state.ScaleState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What one node-group rule should do now, from what its nodes report: pure (no cluster access), so
 * every branch is tested in {@code RulePlannerTest}. In order:
 *
 * <ol>
 *   <li>a FAILED node, a node gone without being drained, or a node that never registered within the
 *       boot timeout is replaced;</li>
 *   <li>a DRAINING node is terminated once a heartbeat after the drain shows nobody on it (its viewers
 *       moved), or after the drain timeout;</li>
 *   <li>below the floor (min, or what a scheduled event needs) the rule scales out at once; above max
 *       it drains;</li>
 *   <li>otherwise by load, the mean {@link Utilization} of its INSERVICE nodes: above the
 *       out-threshold for {@code sustain}, it asks for enough nodes to bring the load to the middle of
 *       the two thresholds; below the in-threshold for {@code sustain}, it drains its least loaded node,
 *       unless the others would then pass the out-threshold. Never within the rule's cool-down of its
 *       last change, and never while nodes it asked for are still starting.</li>
 * </ol>
 */
public final class RulePlanner {
    private RulePlanner() {}

    /** A node of the rule: where the group wants it, and what the cluster knows of it (null: nothing). */
    public record Member(String cloud, DeployedNode deployed, NodeRecord node) {
        NodeState state() {
            return node == null ? NodeState.TERMINATED : node.state();
        }
    }

    /** The floor a scheduled event sets, and why (null reason: none). */
    public record Demand(int nodes, String reason, Instant until) {
        public static final Demand NONE = new Demand(0, null, null);

        public Demand(int nodes, String reason) {
            this(nodes, reason, null);
        }
    }

    public record Settings(Duration sustain, Duration drainTimeout, Duration bootTimeout) {}

    /** New nodes to ask for on one cloud. */
    public record Start(String cloud, int count) {}

    public record Step(Action action, List<String> nodes, String reason) {}

    /**
     * The plan: nodes to start (per cloud), nodes to drain, nodes to remove from their deployments,
     * REQUESTED nodes to mark FAILED, the decisions with their reasons, and the rule's next state.
     */
    public record Plan(List<Start> start, List<String> drain, List<String> remove, List<String> bootTimedOut,
                       List<Step> steps, int from, int to, ScaleState next) {}

    public static Plan plan(NodeGroupRule rule, List<Member> members, ScaleState state, Demand demand,
                            Set<String> failingClouds, Settings s, Instant now) {
        // Once an event's pre-scaling began, its floor holds until the occurrence ends: the lead
        // window may move (a shorter boot measured meanwhile), the nodes asked for must not go.
        if (state.heldUntil() != null && now.isBefore(state.heldUntil()) && state.heldFloor() > demand.nodes()) {
            demand = new Demand(state.heldFloor(), state.heldReason(), state.heldUntil());
        }
        List<String> remove = new ArrayList<>();
        List<String> drain = new ArrayList<>();
        List<String> timedOut = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        Map<String, Integer> perCloud = new HashMap<>();
        int replacements = 0;
        List<Member> active = new ArrayList<>();
        List<Member> inService = new ArrayList<>();
        int starting = 0;
        for (Member m : members) {
            NodeState st = m.state();
            String id = m.deployed().id();
            if (st == NodeState.REQUESTED && !m.node().stateSince().plus(s.bootTimeout()).isAfter(now)) {
                timedOut.add(id);
                remove.add(id);
                replacements++;
                steps.add(new Step(Action.REPLACE, List.of(id), "node " + id + " did not register within "
                        + seconds(s.bootTimeout()) + " of being asked of " + m.cloud()));
                continue;
            }
            if (st.gone()) {
                remove.add(id);
                replacements++;
                steps.add(new Step(Action.REPLACE, List.of(id), "node " + id + " is " + (m.node() == null ? "gone"
                        : st == NodeState.FAILED ? "FAILED (no heartbeat since " + m.node().lastHeartbeatAt() + ")"
                        : st + " without being drained")));
                continue;
            }
            if (st == NodeState.DRAINING) {
                NodeRecord n = m.node();
                boolean heardSince = n.lastHeartbeatAt().isAfter(n.stateSince());
                // A transcoder's work is its jobs (reported as streams); the manager moves them off at the drain.
                boolean empty = heardSince && n.load().subscribers() == 0 && n.load().publishers() == 0
                        && (n.role() != NodeRole.TRANSCODER || n.load().streams() == 0);
                boolean late = !n.stateSince().plus(s.drainTimeout()).isAfter(now);
                if (empty || late) {
                    remove.add(id);
                    steps.add(new Step(Action.TERMINATE, List.of(id), empty ? "node " + id + " is drained (nobody on it)"
                            : "node " + id + " still had " + n.load().subscribers() + " subscribers after the drain timeout of "
                            + seconds(s.drainTimeout())));
                }
                continue;
            }
            active.add(m);
            perCloud.merge(m.cloud(), 1, Integer::sum);
            if (st == NodeState.INSERVICE) {
                inService.add(m);
            } else {
                starting++;
            }
        }
        int from = active.size();
        List<Start> start = new ArrayList<>();
        ScaleState next = state;
        double load = 0;
        for (Member m : inService) {
            load += Utilization.of(m.node().load(), m.node().capacity());
        }
        double mean = inService.isEmpty() ? 0 : load / inService.size();
        int floor = Math.max(rule.min(), Math.min(rule.max(), demand.nodes()));
        int want = from + replacements;
        String why = null;
        Action action = null;
        boolean coolingDown = state.lastScaleAt() != null
                && now.isBefore(state.lastScaleAt().plusSeconds(rule.coolDownSeconds()));
        Instant over = mean > rule.scaleOutThreshold() && !inService.isEmpty() ? since(state.overSince(), now) : null;
        Instant under = mean < rule.scaleInThreshold() && !inService.isEmpty() ? since(state.underSince(), now) : null;
        if (want < floor) {
            action = Action.SCALE_OUT;
            why = floor > rule.min() && demand.reason() != null ? demand.reason() + " needs " + floor + " nodes"
                    : "below min " + rule.min();
            want = floor;
        } else if (from > rule.max()) {
            action = Action.DRAIN;
            why = from + " nodes, above max " + rule.max();
            want = rule.max();
        } else if (over != null && !now.isBefore(over.plus(s.sustain())) && !coolingDown && starting == 0) {
            if (from >= rule.max()) {
                steps.add(new Step(Action.BLOCKED, List.of(), "load " + pct(mean) + " above " + pct(rule.scaleOutThreshold())
                        + " but the rule is at its max of " + rule.max()));
                over = now;
            } else {
                double target = (rule.scaleOutThreshold() + rule.scaleInThreshold()) / 2;
                int needed = (int) Math.ceil(load / target);
                want = Math.max(from + 1, Math.min(rule.max(), needed)) + replacements;
                action = Action.SCALE_OUT;
                why = "load " + pct(mean) + " above " + pct(rule.scaleOutThreshold()) + " for " + seconds(Duration.between(over, now));
            }
        } else if (under != null && !now.isBefore(under.plus(s.sustain())) && !coolingDown && starting == 0
                && from > floor && inService.size() > 1 && load / (inService.size() - 1) < rule.scaleOutThreshold()) {
            action = Action.DRAIN;
            why = "load " + pct(mean) + " below " + pct(rule.scaleInThreshold()) + " for " + seconds(Duration.between(under, now));
            want = from - 1;
        }
        int add = want - from;
        int to = from;
        if (action == Action.DRAIN) {
            List<Member> byLoad = new ArrayList<>(inService);
            byLoad.sort(Comparator.comparingDouble((Member m) -> Utilization.of(m.node().load(), m.node().capacity()))
                    .thenComparing((Member m) -> m.node().registeredAt(), Comparator.reverseOrder()));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < from - want && i < byLoad.size(); i++) {
                ids.add(byLoad.get(i).deployed().id());
            }
            drain.addAll(ids);
            steps.add(new Step(Action.DRAIN, ids, why));
            to = from - ids.size();
        } else if (add > 0) {
            List<String> none = new ArrayList<>();
            for (int i = 0; i < add; i++) {
                String cloud = pickCloud(rule, perCloud, failingClouds);
                if (cloud == null) {
                    none.add("every cloud of the rule is failing (" + String.join(", ", failingClouds) + ")");
                    break;
                }
                perCloud.merge(cloud, 1, Integer::sum);
                merge(start, cloud);
            }
            int started = start.stream().mapToInt(Start::count).sum();
            if (started > replacements) {
                steps.add(new Step(Action.SCALE_OUT, List.of(), why != null ? why : "replacing failed nodes"));
            }
            if (!none.isEmpty()) {
                steps.add(new Step(Action.BLOCKED, List.of(), (why != null ? why + "; " : "") + none.get(0)));
            }
            to = from + started;
        }
        if (action != null) {
            next = new ScaleState(now, null, null, mean, inService.size());
        } else {
            next = new ScaleState(state.lastScaleAt(), over, under, mean, inService.size());
        }
        if (demand.until() != null && demand.nodes() > 0) {
            next = next.holding(demand.nodes(), demand.until(), demand.reason());
        }
        return new Plan(start, drain, remove, timedOut, steps, from, to, next);
    }

    /**
     * The cloud for one more node: among clouds not failing, those of the lowest priority number;
     * among them, the one furthest below its share by weight (fewest nodes per unit of weight).
     */
    static String pickCloud(NodeGroupRule rule, Map<String, Integer> perCloud, Set<String> failing) {
        CloudChoice best = null;
        for (CloudChoice c : rule.clouds()) {
            if (failing.contains(c.cloud())) {
                continue;
            }
            if (best == null || c.priority() < best.priority()
                    || c.priority().equals(best.priority()) && share(c, perCloud) < share(best, perCloud)) {
                best = c;
            }
        }
        return best == null ? null : best.cloud();
    }

    private static double share(CloudChoice c, Map<String, Integer> perCloud) {
        return (perCloud.getOrDefault(c.cloud(), 0) + 1.0) / c.weight();
    }

    private static void merge(List<Start> start, String cloud) {
        for (int i = 0; i < start.size(); i++) {
            if (start.get(i).cloud().equals(cloud)) {
                start.set(i, new Start(cloud, start.get(i).count() + 1));
                return;
            }
        }
        start.add(new Start(cloud, 1));
    }

    private static Instant since(Instant was, Instant now) {
        return was != null ? was : now;
    }

    static String pct(double f) {
        return String.format(Locale.ROOT, "%.0f%%", f * 100);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
