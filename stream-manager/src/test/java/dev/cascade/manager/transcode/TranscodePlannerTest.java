package dev.cascade.manager.transcode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.manager.state.Capacity;
import dev.cascade.manager.state.Load;
import dev.cascade.manager.state.NodeRecord;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.NodeState;
import dev.cascade.manager.state.Provision;
import dev.cascade.manager.state.StreamRecord;
import dev.cascade.manager.state.TranscodeRecord;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every decision of the transcode planner, on hand-made cluster views. */
class TranscodePlannerTest {
    static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);
    static final Provision THREE = new Provision(List.of(new Provision.Level(1, 1280, 720, 2500, 30),
            new Provision.Level(2, 854, 480, 1000, 30), new Provision.Level(3, 640, 360, 400, 30)), null, null, null);
    static final Provision TWO = new Provision(List.of(new Provision.Level(1, 854, 480, 1000, 30),
            new Provision.Level(2, 640, 360, 400, 30)), null, null, null);

    final Map<String, StreamRecord> streams = new HashMap<>();
    final Map<String, NodeRecord> nodes = new HashMap<>();
    final Map<String, Provision> provisions = new HashMap<>();
    final Map<String, Provision> groupAbr = new HashMap<>();
    final Map<String, TranscodeRecord> current = new HashMap<>();

    static NodeRecord node(String id, NodeRole role, String region, String group, NodeState state, int maxJobs, double cpu) {
        return new NodeRecord(id, role, region, "local", group, state, "127.0.0.1", role == NodeRole.TRANSCODER ? 0 : 9000,
                8100, 0, new Capacity(0, 0, 0, maxJobs), new Load(cpu, 0, 0, 0, 0, 0), List.of(), T0, T0, T0);
    }

    void add(NodeRecord n) {
        nodes.put(n.id(), n);
    }

    void live(String key, String origin) {
        streams.put(key, new StreamRecord(key, origin, true, T0, T0));
    }

    List<TranscodePlanner.Change> plan(Instant now) {
        return TranscodePlanner.plan(new TranscodePlanner.Inputs(streams, nodes, provisions, groupAbr, current), now);
    }

    /** Applies a plan's changes to {@code current}, as the assigner's processors would. */
    List<TranscodePlanner.Change> planAndApply(Instant now) {
        List<TranscodePlanner.Change> changes = plan(now);
        for (TranscodePlanner.Change c : changes) {
            if (c.after() == null) {
                current.remove(c.stream());
            } else {
                current.put(c.stream(), c.after());
            }
        }
        return changes;
    }

    void cluster() {
        add(node("origin-eu", NodeRole.ORIGIN, "eu", "g", NodeState.INSERVICE, 0, 0.1));
        add(node("t-eu", NodeRole.TRANSCODER, "eu", "g", NodeState.INSERVICE, 2, 0.5));
        add(node("t-us", NodeRole.TRANSCODER, "us", "g", NodeState.INSERVICE, 2, 0.0));
    }

    @Test
    void aLiveProvisionedStreamGetsATranscoderInItsOriginsRegion() {
        cluster();
        live("live/a", "origin-eu");
        provisions.put("live/a", THREE);
        List<TranscodePlanner.Change> changes = planAndApply(T0);
        assertThat(changes).hasSize(1);
        TranscodePlanner.Change c = changes.get(0);
        assertThat(c.action()).isEqualTo("assign");
        assertThat(c.after()).isEqualTo(new TranscodeRecord("live/a", "t-eu", "origin-eu", THREE.ladder(), "stream", T0));
        // nothing changed: nothing to do, and the job keeps its start time
        assertThat(plan(T1)).isEmpty();
    }

    @Test
    void theFewestJobsWinAndAFullRegionSpillsElsewhere() {
        cluster();
        add(node("t-eu2", NodeRole.TRANSCODER, "eu", "g", NodeState.INSERVICE, 2, 0.9));
        for (String s : List.of("live/a", "live/b", "live/c", "live/d", "live/e")) {
            live(s, "origin-eu");
            provisions.put(s, TWO);
        }
        planAndApply(T0);
        // key order: a -> t-eu (fewest jobs, then the lower CPU), b -> t-eu2 (t-eu has one), c -> t-eu, d -> t-eu2,
        // e -> t-us (both eu transcoders are at their 2 jobs)
        assertThat(current.get("live/a").transcoder()).isEqualTo("t-eu");
        assertThat(current.get("live/b").transcoder()).isEqualTo("t-eu2");
        assertThat(current.get("live/c").transcoder()).isEqualTo("t-eu");
        assertThat(current.get("live/d").transcoder()).isEqualTo("t-eu2");
        assertThat(current.get("live/e").transcoder()).isEqualTo("t-us");
    }

    @Test
    void aHealthyJobStaysWhereItIsEvenWhenABetterTranscoderComes() {
        cluster();
        live("live/a", "origin-eu");
        provisions.put("live/a", THREE);
        current.put("live/a", new TranscodeRecord("live/a", "t-us", "origin-eu", THREE.ladder(), "stream", T0));
        assertThat(plan(T1)).isEmpty();
    }

    @Test
    void aFailedOrDrainingTranscodersJobsMoveAndKeepNothingOfTheOldStart() {
        cluster();
        live("live/a", "origin-eu");
        live("live/b", "origin-eu");
        provisions.put("live/a", THREE);
        provisions.put("live/b", THREE);
        add(node("t-old", NodeRole.TRANSCODER, "eu", "g", NodeState.FAILED, 2, 0));
        add(node("t-drain", NodeRole.TRANSCODER, "eu", "g", NodeState.DRAINING, 2, 0));
        current.put("live/a", new TranscodeRecord("live/a", "t-old", "origin-eu", THREE.ladder(), "stream", T0));
        current.put("live/b", new TranscodeRecord("live/b", "t-drain", "origin-eu", THREE.ladder(), "stream", T0));
        List<TranscodePlanner.Change> changes = planAndApply(T1);
        assertThat(changes).extracting(TranscodePlanner.Change::action).containsExactly("move", "move");
        assertThat(changes.get(0).why()).contains("t-old is FAILED");
        assertThat(changes.get(1).why()).contains("t-drain is DRAINING");
        assertThat(current.get("live/a").transcoder()).isEqualTo("t-eu");
        assertThat(current.get("live/a").since()).isEqualTo(T1);
        assertThat(current.get("live/b").transcoder()).isEqualTo("t-eu");
    }

    @Test
    void aDrainingTranscoderKeepsItsJobUntilAnotherHasRoom() {
        add(node("origin-eu", NodeRole.ORIGIN, "eu", "g", NodeState.INSERVICE, 0, 0.1));
        add(node("t-drain", NodeRole.TRANSCODER, "eu", "g", NodeState.DRAINING, 2, 0));
        live("live/a", "origin-eu");
        provisions.put("live/a", THREE);
        current.put("live/a", new TranscodeRecord("live/a", "t-drain", "origin-eu", THREE.ladder(), "stream", T0));
        assertThat(plan(T1)).as("nowhere else to go: it stays").isEmpty();
        add(node("t-new", NodeRole.TRANSCODER, "eu", "g", NodeState.INSERVICE, 2, 0));
        List<TranscodePlanner.Change> changes = planAndApply(T1);
        assertThat(changes).extracting(TranscodePlanner.Change::action).containsExactly("move");
        assertThat(current.get("live/a").transcoder()).isEqualTo("t-new");
    }

    @Test
    void withNoTranscoderWithRoomTheJobWaitsVisiblyAndIsAssignedWhenOneComes() {
        add(node("origin-eu", NodeRole.ORIGIN, "eu", "g", NodeState.INSERVICE, 0, 0.1));
        add(node("t-starting", NodeRole.TRANSCODER, "eu", "g", NodeState.STARTING, 2, 0));
        live("live/a", "origin-eu");
        provisions.put("live/a", THREE);
        List<TranscodePlanner.Change> changes = planAndApply(T0);
        assertThat(changes).extracting(TranscodePlanner.Change::action).containsExactly("wait");
        assertThat(current.get("live/a").transcoder()).isNull();
        assertThat(changes.get(0).why()).contains("no transcoder in service has room");
        assertThat(plan(T0.plusSeconds(1))).as("waiting is said once").isEmpty();

        add(node("t-starting", NodeRole.TRANSCODER, "eu", "g", NodeState.INSERVICE, 2, 0));
        changes = planAndApply(T1);
        assertThat(changes).extracting(TranscodePlanner.Change::action).containsExactly("assign");
        assertThat(current.get("live/a").transcoder()).isEqualTo("t-starting");
        assertThat(current.get("live/a").since()).isEqualTo(T1);
    }

    @Test
    void theGroupsDefaultAppliesWithoutAProvisionAndTheStreamsOwnWins() {
        cluster();
        live("live/a", "origin-eu");
        groupAbr.put("g", TWO);
        planAndApply(T0);
        assertThat(current.get("live/a").from()).isEqualTo("group");
        assertThat(current.get("live/a").ladder()).isEqualTo(TWO.ladder());

        provisions.put("live/a", THREE);
        List<TranscodePlanner.Change> changes = planAndApply(T1);
        assertThat(changes).extracting(TranscodePlanner.Change::action).containsExactly("update");
        assertThat(changes.get(0).why()).isEqualTo("the ladder changed");
        assertThat(current.get("live/a").from()).isEqualTo("stream");
        assertThat(current.get("live/a").since()).as("same transcoder, same job start").isEqualTo(T0);
    }

    @Test
    void variantsAndOpusRenditionsAreNeverTranscodedEvenUnderAGroupDefault() {
        cluster();
        groupAbr.put("g", TWO);
        for (String s : List.of("live/a", "live/a_1", "live/a_2", "live/a.opus", "live/solo_1", "live/a_9")) {
            live(s, "origin-eu");
        }
        planAndApply(T0);
        // live/solo_1 has no live/solo, and _9 is past the 8 levels a ladder may have: streams of their own
        assertThat(current.keySet()).containsExactlyInAnyOrder("live/a", "live/solo_1", "live/a_9");
        assertThat(TranscodePlanner.notTranscoded("live/a_2", streams, current)).isEqualTo("live/a_2 is a variant of live/a");
        assertThat(TranscodePlanner.notTranscoded("live/a.opus", streams, current)).contains("Opus rendition");
        // the source gone but its job not yet dropped: its variants are still variants
        streams.remove("live/a");
        assertThat(TranscodePlanner.notTranscoded("live/a_1", streams, current)).isNotNull();
    }

    @Test
    void aNewOriginUpdatesTheJobInPlace() {
        cluster();
        add(node("origin-eu2", NodeRole.ORIGIN, "eu", "g", NodeState.INSERVICE, 0, 0.1));
        live("live/a", "origin-eu");
        provisions.put("live/a", THREE);
        planAndApply(T0);
        live("live/a", "origin-eu2");
        List<TranscodePlanner.Change> changes = planAndApply(T1);
        assertThat(changes).extracting(TranscodePlanner.Change::action).containsExactly("update");
        assertThat(changes.get(0).why()).isEqualTo("the stream moved to origin origin-eu2");
        assertThat(current.get("live/a").origin()).isEqualTo("origin-eu2");
        assertThat(current.get("live/a").transcoder()).isEqualTo("t-eu");
    }

    @Test
    void jobsEndWithTheirStreamTheirProvisionOrTheirOrigin() {
        cluster();
        add(node("origin-b", NodeRole.ORIGIN, "eu", "", NodeState.INSERVICE, 0, 0.1));
        for (String s : List.of("live/ended", "live/unprovisioned", "live/orphan", "live/forgotten")) {
            live(s, "origin-eu");
            provisions.put(s, TWO);
        }
        planAndApply(T0);
        assertThat(current).hasSize(4);
        streams.put("live/ended", new StreamRecord("live/ended", "origin-eu", false, T0, T1));
        provisions.remove("live/unprovisioned");
        live("live/orphan", "origin-b");
        add(node("origin-b", NodeRole.ORIGIN, "eu", "", NodeState.FAILED, 0, 0.1));
        streams.remove("live/forgotten");
        List<TranscodePlanner.Change> changes = planAndApply(T1);
        assertThat(changes).extracting(TranscodePlanner.Change::action).containsOnly("drop");
        assertThat(changes).extracting(TranscodePlanner.Change::why).containsExactly("the stream is not live",
                "the stream is gone", "its origin origin-b is FAILED", "the stream has no provision");
        assertThat(current).isEmpty();
    }

    @Test
    void aStreamWithoutAProvisionAndAnOriginOutsideAnyGroupIsLeftAlone() {
        cluster();
        add(node("origin-free", NodeRole.ORIGIN, "eu", "", NodeState.INSERVICE, 0, 0.1));
        groupAbr.put("g", TWO);
        live("live/a", "origin-free");
        assertThat(plan(T0)).isEmpty();
        assertThat(TranscodePlanner.effective("live/a", provisions, groupAbr, streams.get("live/a"), nodes)).isNull();
        assertThat(TranscodePlanner.effective("live/unknown", provisions, groupAbr, null, nodes)).isNull();
    }
}
