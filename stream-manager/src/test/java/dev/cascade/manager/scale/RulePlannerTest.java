package dev.cascade.manager.scale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.manager.state.Capacity;
import dev.cascade.manager.state.CloudChoice;
import dev.cascade.manager.state.DeploymentRecord.DeployedNode;
import dev.cascade.manager.state.Heartbeat;
import dev.cascade.manager.state.Load;
import dev.cascade.manager.state.NodeGroupRule;
import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.NodeState;
import dev.cascade.manager.state.ScaleDecision.Action;
import dev.cascade.manager.state.ScaleState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RulePlannerTest {
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final RulePlanner.Settings S = new RulePlanner.Settings(Duration.ofSeconds(30), Duration.ofSeconds(120),
            Duration.ofSeconds(600));
    static final Capacity CAP = new Capacity(10, 0, 0);

    static NodeGroupRule rule(int min, int max, List<CloudChoice> clouds) {
        return new NodeGroupRule(NodeRole.EDGE, "local", clouds, min, max, 0.7, 0.3, 60, CAP);
    }

    static NodeGroupRule rule(int min, int max) {
        return rule(min, max, null);
    }

    /** A member in {@code state} with {@code subs} subscribers of 10, on local. */
    static RulePlanner.Member member(String id, NodeState state, int subs, Instant since) {
        DeployedNode d = new DeployedNode(id, NodeRole.EDGE, "local", "local", "", CAP, since, null, null);
        NodeRecord n = NodeRecord.requested(id, NodeRole.EDGE, "local", "local", "g", CAP, since);
        if (state != NodeState.REQUESTED) {
            n = new NodeRecord(id, NodeRole.EDGE, "local", "local", "g", state, "127.0.0.1", 9100, 8180, 10100, CAP,
                    new Load(0.05, 0, 0, 0, subs, 1), List.of(), since, since.plusSeconds(1), since);
        }
        return new RulePlanner.Member("local", d, n);
    }

    static RulePlanner.Plan plan(NodeGroupRule r, List<RulePlanner.Member> ms, ScaleState st, Instant now) {
        return RulePlanner.plan(r, ms, st, RulePlanner.Demand.NONE, Set.of(), S, now);
    }

    @Test
    void belowMinStartsNodesAtOnce() {
        RulePlanner.Plan p = plan(rule(2, 5), List.of(member("a", NodeState.INSERVICE, 0, T0)), ScaleState.NONE, T0);
        assertThat(p.start()).containsExactly(new RulePlanner.Start("local", 1));
        assertThat(p.steps()).extracting(RulePlanner.Step::action).containsExactly(Action.SCALE_OUT);
        assertThat(p.steps().get(0).reason()).contains("below min 2");
        assertThat(p.from()).isEqualTo(1);
        assertThat(p.to()).isEqualTo(2);
    }

    @Test
    void loadAboveThresholdMustBeSustainedBeforeScalingOut() {
        NodeGroupRule r = rule(1, 5);
        List<RulePlanner.Member> busy = List.of(member("a", NodeState.INSERVICE, 8, T0));
        RulePlanner.Plan first = plan(r, busy, ScaleState.NONE, T0);
        assertThat(first.start()).isEmpty();
        assertThat(first.next().overSince()).isEqualTo(T0);
        RulePlanner.Plan early = plan(r, busy, first.next(), T0.plusSeconds(29));
        assertThat(early.start()).isEmpty();
        RulePlanner.Plan due = plan(r, busy, early.next(), T0.plusSeconds(30));
        // 0.8 of one node, brought to the middle of the thresholds (0.5): 2 nodes.
        assertThat(due.start()).containsExactly(new RulePlanner.Start("local", 1));
        assertThat(due.steps().get(0).reason()).contains("load 80% above 70% for 30.0 s");
        assertThat(due.next().lastScaleAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(due.next().overSince()).isNull();
    }

    @Test
    void aSpikeShorterThanSustainDoesNothing() {
        NodeGroupRule r = rule(1, 5);
        RulePlanner.Plan hot = plan(r, List.of(member("a", NodeState.INSERVICE, 9, T0)), ScaleState.NONE, T0);
        RulePlanner.Plan cool = plan(r, List.of(member("a", NodeState.INSERVICE, 5, T0)), hot.next(), T0.plusSeconds(10));
        assertThat(cool.next().overSince()).isNull();
        RulePlanner.Plan hotAgain = plan(r, List.of(member("a", NodeState.INSERVICE, 9, T0)), cool.next(), T0.plusSeconds(35));
        assertThat(hotAgain.start()).isEmpty();
    }

    @Test
    void scalesOutByAsManyNodesAsTheLoadNeedsUpToMax() {
        NodeGroupRule r = rule(1, 4);
        List<RulePlanner.Member> ms = List.of(member("a", NodeState.INSERVICE, 10, T0), member("b", NodeState.INSERVICE, 10, T0));
        ScaleState over = new ScaleState(null, T0, null, 1.0, 2);
        RulePlanner.Plan p = plan(r, ms, over, T0.plusSeconds(30));
        // 2.0 of load at 0.5 each wants 4 nodes: 2 more.
        assertThat(p.start()).containsExactly(new RulePlanner.Start("local", 2));
        assertThat(p.to()).isEqualTo(4);
    }

    @Test
    void atMaxWithHighLoadIsBlockedNotScaled() {
        NodeGroupRule r = rule(1, 1);
        RulePlanner.Plan p = plan(r, List.of(member("a", NodeState.INSERVICE, 10, T0)), new ScaleState(null, T0, null, 1, 1),
                T0.plusSeconds(31));
        assertThat(p.start()).isEmpty();
        assertThat(p.steps()).extracting(RulePlanner.Step::action).containsExactly(Action.BLOCKED);
        assertThat(p.steps().get(0).reason()).contains("at its max of 1");
    }

    @Test
    void coolDownAndStartingNodesHoldScaling() {
        NodeGroupRule r = rule(1, 5);
        List<RulePlanner.Member> busy = List.of(member("a", NodeState.INSERVICE, 9, T0));
        ScaleState recent = new ScaleState(T0.plusSeconds(10), T0, null, 0.9, 1);
        assertThat(plan(r, busy, recent, T0.plusSeconds(40)).start()).isEmpty(); // cool-down is 60 s
        assertThat(plan(r, busy, recent, T0.plusSeconds(71)).start()).hasSize(1);
        List<RulePlanner.Member> withStarting = List.of(member("a", NodeState.INSERVICE, 9, T0),
                member("b", NodeState.STARTING, 0, T0));
        assertThat(plan(r, withStarting, new ScaleState(null, T0, null, 0.9, 1), T0.plusSeconds(40)).start()).isEmpty();
    }

    @Test
    void lowLoadDrainsTheLeastLoadedNodeDownToTheFloor() {
        NodeGroupRule r = rule(1, 5);
        List<RulePlanner.Member> ms = List.of(member("a", NodeState.INSERVICE, 2, T0), member("b", NodeState.INSERVICE, 1, T0));
        RulePlanner.Plan p = plan(r, ms, new ScaleState(null, null, T0, 0.15, 2), T0.plusSeconds(30));
        assertThat(p.drain()).containsExactly("b");
        assertThat(p.steps().get(0).action()).isEqualTo(Action.DRAIN);
        assertThat(p.steps().get(0).reason()).contains("load 15% below 30%");
        assertThat(p.to()).isEqualTo(1);
        // at the floor: nothing more
        RulePlanner.Plan floor = plan(r, List.of(member("a", NodeState.INSERVICE, 0, T0)), new ScaleState(null, null, T0, 0, 1),
                T0.plusSeconds(300));
        assertThat(floor.drain()).isEmpty();
    }

    @Test
    void doesNotDrainWhenTheOthersWouldPassTheOutThreshold() {
        NodeGroupRule r = new NodeGroupRule(NodeRole.EDGE, "local", null, 1, 5, 0.5, 0.3, 0, CAP);
        // 0.29 mean over 2 nodes; on one node it would be 0.58 > 0.5
        List<RulePlanner.Member> ms = List.of(member("a", NodeState.INSERVICE, 3, T0), member("b", NodeState.INSERVICE, 3, T0));
        RulePlanner.Plan p = plan(r, ms, new ScaleState(null, null, T0, 0.3, 2), T0.plusSeconds(60));
        assertThat(p.drain()).isEmpty();
    }

    @Test
    void drainedNodeIsTerminatedOnceAHeartbeatAfterTheDrainShowsNobody() {
        NodeGroupRule r = rule(1, 5);
        RulePlanner.Member drainingBusy = member("b", NodeState.DRAINING, 2, T0);
        RulePlanner.Member drainingEmpty = member("c", NodeState.DRAINING, 0, T0);
        RulePlanner.Plan p = plan(r, List.of(member("a", NodeState.INSERVICE, 2, T0), drainingBusy, drainingEmpty),
                ScaleState.NONE, T0.plusSeconds(5));
        assertThat(p.remove()).containsExactly("c");
        assertThat(p.steps()).extracting(RulePlanner.Step::action).containsExactly(Action.TERMINATE);
        // after the drain timeout, even with viewers left
        RulePlanner.Plan late = plan(r, List.of(member("a", NodeState.INSERVICE, 2, T0), drainingBusy), ScaleState.NONE,
                T0.plusSeconds(120));
        assertThat(late.remove()).containsExactly("b");
        assertThat(late.steps().get(0).reason()).contains("still had 2 subscribers");
    }

    @Test
    void drainingNodeWithNoHeartbeatSinceTheDrainIsNotTerminatedYet() {
        RulePlanner.Member m = member("b", NodeState.DRAINING, 0, T0);
        NodeRecord n = m.node();
        NodeRecord stale = new NodeRecord(n.id(), n.role(), n.region(), n.cloud(), n.group(), n.state(), n.host(), n.srtPort(),
                n.httpPort(), n.webrtcPort(), n.capacity(), n.load(), n.streams(), n.registeredAt(), T0, T0.plusSeconds(1));
        RulePlanner.Plan p = plan(rule(0, 5), List.of(new RulePlanner.Member("local", m.deployed(), stale)), ScaleState.NONE,
                T0.plusSeconds(5));
        assertThat(p.remove()).isEmpty();
    }

    @Test
    void failedAndTimedOutNodesAreReplaced() {
        NodeGroupRule r = rule(2, 5);
        List<RulePlanner.Member> ms = List.of(member("a", NodeState.INSERVICE, 1, T0), member("b", NodeState.FAILED, 0, T0));
        RulePlanner.Plan p = plan(r, ms, ScaleState.NONE, T0.plusSeconds(1));
        assertThat(p.remove()).containsExactly("b");
        assertThat(p.start()).containsExactly(new RulePlanner.Start("local", 1));
        assertThat(p.steps()).extracting(RulePlanner.Step::action).containsExactly(Action.REPLACE);
        assertThat(p.steps().get(0).reason()).contains("FAILED");

        List<RulePlanner.Member> slow = List.of(member("a", NodeState.INSERVICE, 1, T0), member("c", NodeState.REQUESTED, 0, T0));
        RulePlanner.Plan q = plan(r, slow, ScaleState.NONE, T0.plusSeconds(600));
        assertThat(q.bootTimedOut()).containsExactly("c");
        assertThat(q.remove()).containsExactly("c");
        assertThat(q.start()).hasSize(1);
        assertThat(plan(r, slow, ScaleState.NONE, T0.plusSeconds(599)).remove()).isEmpty();
    }

    @Test
    void aScheduledEventRaisesTheFloorUpToMax() {
        NodeGroupRule r = rule(1, 3);
        RulePlanner.Plan p = RulePlanner.plan(r, List.of(member("a", NodeState.INSERVICE, 0, T0)), ScaleState.NONE,
                new RulePlanner.Demand(5, "event 'final'"), Set.of(), S, T0);
        assertThat(p.start()).containsExactly(new RulePlanner.Start("local", 2));
        assertThat(p.steps().get(0).reason()).isEqualTo("event 'final' needs 3 nodes");
    }

    @Test
    void anEventsFloorHoldsUntilItsEndEvenIfTheLeadWindowMovesAway() {
        NodeGroupRule r = rule(1, 3);
        Instant end = T0.plusSeconds(120);
        RulePlanner.Plan pre = RulePlanner.plan(r, List.of(member("a", NodeState.INSERVICE, 0, T0)), ScaleState.NONE,
                new RulePlanner.Demand(3, "event 'final'", end), Set.of(), S, T0);
        assertThat(pre.start()).containsExactly(new RulePlanner.Start("local", 2));
        assertThat(pre.next().heldFloor()).isEqualTo(3);
        List<RulePlanner.Member> three = List.of(member("a", NodeState.INSERVICE, 0, T0), member("b", NodeState.INSERVICE, 0, T0),
                member("c", NodeState.INSERVICE, 0, T0));
        // the lead shrank: no demand now, load 0 for long; the floor still holds
        ScaleState idle = new ScaleState(null, null, T0, 0, 3, 3, end, "event 'final'");
        assertThat(plan(r, three, idle, T0.plusSeconds(60)).drain()).isEmpty();
        // after the end the rule's thresholds take over
        assertThat(plan(r, three, idle, end.plusSeconds(1)).drain()).hasSize(1);
    }

    @Test
    void newNodesGoByPriorityThenWeightSkippingFailingClouds() {
        List<CloudChoice> clouds = List.of(new CloudChoice("aws", "us-east-1", 1, 3, ""),
                new CloudChoice("gcp", "us-east1", 1, 1, ""), new CloudChoice("linode", "us-east", 2, 1, ""));
        NodeGroupRule r = new NodeGroupRule(NodeRole.EDGE, "us-east", clouds, 8, 10, 0.7, 0.3, 0, CAP);
        Map<String, Integer> per = new HashMap<>();
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String c = RulePlanner.pickCloud(r, per, Set.of());
            per.merge(c, 1, Integer::sum);
            picks.add(c);
        }
        assertThat(per).containsEntry("aws", 6).containsEntry("gcp", 2).doesNotContainKey("linode");
        assertThat(RulePlanner.pickCloud(r, Map.of(), Set.of("aws"))).isEqualTo("gcp");
        assertThat(RulePlanner.pickCloud(r, Map.of(), Set.of("aws", "gcp"))).isEqualTo("linode");
        assertThat(RulePlanner.pickCloud(r, Map.of(), Set.of("aws", "gcp", "linode"))).isNull();
        RulePlanner.Plan blocked = RulePlanner.plan(r, List.of(), ScaleState.NONE, RulePlanner.Demand.NONE,
                Set.of("aws", "gcp", "linode"), S, T0);
        assertThat(blocked.start()).isEmpty();
        assertThat(blocked.steps()).extracting(RulePlanner.Step::action).containsExactly(Action.BLOCKED);
        assertThat(blocked.steps().get(0).reason()).contains("below min 8").contains("every cloud of the rule is failing");
        assertThat(blocked.to()).isZero();
    }

    @Test
    void utilizationIsTheBusiestResource() {
        assertThat(Utilization.of(new Load(0.2, 0, 40, 1, 5, 1), new Capacity(10, 0, 0))).isEqualTo(0.5);
        assertThat(Utilization.of(new Load(0.2, 0, 80, 1, 5, 1), new Capacity(10, 0, 100))).isEqualTo(0.8);
        assertThat(Utilization.of(new Load(0.9, 0, 80, 1, 5, 1), Capacity.UNLIMITED)).isEqualTo(0.9);
        assertThat(Utilization.of(new Load(0.1, 0, 0, 3, 0, 3), new Capacity(0, 4, 0))).isEqualTo(0.75);
        // a transcoder: its jobs (reported as streams) over its maxJobs, or its CPU with its ffmpeg processes'
        assertThat(Utilization.of(new Load(0.2, 0, 6, 0, 0, 3), new Capacity(0, 0, 0, 4))).isEqualTo(0.75);
        assertThat(Utilization.of(new Load(0.9, 0, 6, 0, 0, 1), new Capacity(0, 0, 0, 4))).isEqualTo(0.9);
    }

    @Test
    void aDrainingTranscoderIsTerminatedOnceItRunsNoJob() {
        Capacity jobs = new Capacity(0, 0, 0, 4);
        NodeGroupRule r = new NodeGroupRule(NodeRole.TRANSCODER, "local", null, 1, 4, 0.7, 0.3, 60, jobs);
        RulePlanner.Member[] ms = new RulePlanner.Member[2];
        for (int i = 0; i < 2; i++) {
            String id = i == 0 ? "busy" : "idle";
            DeployedNode d = new DeployedNode(id, NodeRole.TRANSCODER, "local", "local", "", jobs, T0, null, null);
            NodeRecord n = new NodeRecord(id, NodeRole.TRANSCODER, "local", "local", "g", NodeState.DRAINING, "127.0.0.1",
                    0, 8200, 0, jobs, new Load(0.3, 0, 5, 0, 0, i == 0 ? 2 : 0), List.of(), T0, T0.plusSeconds(1), T0);
            ms[i] = new RulePlanner.Member("local", d, n);
        }
        RulePlanner.Plan p = plan(r, List.of(member("a", NodeState.INSERVICE, 0, T0), ms[0], ms[1]), ScaleState.NONE,
                T0.plusSeconds(5));
        assertThat(p.remove()).containsExactly("idle");
    }

    @Test
    void onlyTranscodersHaveJobs() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new NodeGroupRule(NodeRole.EDGE, "local", null, 1, 2, null,
                null, null, new Capacity(0, 0, 0, 4))).hasMessage("capacity.maxJobs: only transcoders run transcode jobs (role is edge)");
    }
}
