package dev.cascade.node.egress.whep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.node.config.NodeConfig;
import dev.cascade.node.metrics.NodeMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** What a draining edge tells its WHEP viewers, and when, without sockets. */
class WhepDrainTest {
    record Sent(String sessionId, String event, String data) {}

    final Map<String, WebRtcViewer> viewers = new ConcurrentHashMap<>();
    final Set<String> subscribed = new HashSet<>();
    final List<Sent> sent = new ArrayList<>();
    final List<String> asked = new ArrayList<>();
    /** The next answers, per ask; completed by the test when {@code hold} is set. */
    EdgeFinder.Answer next = new EdgeFinder.Found("edge-2", "http://10.0.0.9:8180/whep/live/a");
    CompletableFuture<EdgeFinder.Answer> held;
    final NodeMetrics metrics = new NodeMetrics(NodeConfig.loader().load(null, Map.of(), Map.of("node.role", "edge",
            "node.id", "edge-1")));

    final WhepDrain drain = new WhepDrain(viewers, new WhepDrain.Events() {
        @Override
        public boolean wants(String sessionId, String event) {
            return subscribed.contains(sessionId) && event.equals("reconnect");
        }

        @Override
        public void send(String sessionId, String event, String data) {
            sent.add(new Sent(sessionId, event, data));
        }
    }, new EdgeFinder() {
        @Override
        public CompletionStage<Answer> find(String streamKey) {
            asked.add(streamKey);
            if (held != null) {
                return held;
            }
            return CompletableFuture.completedFuture(next);
        }
    }, "edge-1", metrics);

    WebRtcViewer viewer(String id, String stream, boolean withEvents) {
        WebRtcViewer v = new WebRtcViewer(stream, null, 102, -1, 111);
        viewers.put(id, v);
        if (withEvents) {
            subscribed.add(id);
        }
        return v;
    }

    double counter(String name, String... tags) {
        var c = metrics.registry().find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void inServiceTellsNobody() {
        viewer("s1", "live/a", true);
        drain.heartbeat(false);
        assertThat(asked).isEmpty();
        assertThat(sent).isEmpty();
    }

    @Test
    void drainingAsksOncePerStreamAndTellsEveryViewerWithEventsOnce() {
        viewer("s1", "live/a", true);
        viewer("s2", "live/a", true);
        viewer("s3", "live/a", false); // no event stream: cannot be told, plays here until the node stops
        viewer("s4", "live/b", true);
        drain.heartbeat(true);
        assertThat(asked).containsExactlyInAnyOrder("live/a", "live/b");
        assertThat(sent).extracting(Sent::sessionId).containsExactlyInAnyOrder("s1", "s2", "s4");
        assertThat(sent).allSatisfy(s -> {
            assertThat(s.event()).isEqualTo("reconnect");
            assertThat(s.data()).isEqualTo("{\"url\":\"http://10.0.0.9:8180/whep/live/a\"}");
        });
        assertThat(viewers.get("s1").movedTo).isEqualTo("http://10.0.0.9:8180/whep/live/a");
        assertThat(counter("cascade_subscribers_told_to_move")).isEqualTo(3);
        assertThat(counter("cascade_drain_placements", "outcome", "ok")).isEqualTo(2);

        drain.heartbeat(true); // the next heartbeat: nobody new, nobody told again yet
        assertThat(asked).hasSize(2);
        assertThat(sent).hasSize(3);

        viewer("s5", "live/a", true); // subscribed after the first round: told at the next heartbeat
        drain.heartbeat(true);
        assertThat(sent).extracting(Sent::sessionId).contains("s5");
    }

    @Test
    void withNoOtherEdgeNothingIsSentAndTheNextHeartbeatAsksAgain() {
        viewer("s1", "live/a", true);
        next = new EdgeFinder.NoCapacity("HTTP 503 no-capacity");
        drain.heartbeat(true);
        drain.heartbeat(true);
        assertThat(sent).isEmpty();
        assertThat(viewers.get("s1").movedTo).isNull();
        assertThat(counter("cascade_drain_placements", "outcome", "no_capacity")).isEqualTo(2);

        next = new EdgeFinder.Failed("no stream manager answered");
        drain.heartbeat(true);
        assertThat(counter("cascade_drain_placements", "outcome", "failed")).isEqualTo(1);

        next = new EdgeFinder.Found("edge-2", "http://10.0.0.9:8180/whep/live/a");
        drain.heartbeat(true);
        assertThat(sent).extracting(Sent::sessionId).containsExactly("s1");
    }

    @Test
    void anAnswerNamingThisNodeIsNotObeyed() {
        viewer("s1", "live/a", true);
        next = new EdgeFinder.Found("edge-1", "http://127.0.0.1:8180/whep/live/a");
        drain.heartbeat(true);
        assertThat(sent).isEmpty();
        assertThat(counter("cascade_drain_placements", "outcome", "no_capacity")).isEqualTo(1);
    }

    @Test
    void oneAskPerStreamAtATimeAndViewersThatLeftMeanwhileAreNotTold() {
        viewer("s1", "live/a", true);
        viewer("s2", "live/a", true);
        held = new CompletableFuture<>();
        drain.heartbeat(true);
        drain.heartbeat(true); // the first ask has not come back: no second one
        assertThat(asked).containsExactly("live/a");
        viewers.remove("s2");
        held.complete(new EdgeFinder.Found("edge-2", "http://10.0.0.9:8180/whep/live/a"));
        assertThat(sent).extracting(Sent::sessionId).containsExactly("s1");
    }

    @Test
    void undrainedWhileAskingTellsNobody() {
        viewer("s1", "live/a", true);
        held = new CompletableFuture<>();
        drain.heartbeat(true);
        drain.heartbeat(false);
        held.complete(new EdgeFinder.Found("edge-2", "http://10.0.0.9:8180/whep/live/a"));
        assertThat(sent).isEmpty();
    }

    @Test
    void aToldViewerThatDeletesItsSessionCountsAsMoved() {
        WebRtcViewer told = viewer("s1", "live/a", true);
        WebRtcViewer other = viewer("s2", "live/b", false);
        drain.heartbeat(true);
        drain.deleted(told);
        drain.deleted(other);
        assertThat(counter("cascade_subscribers_moved")).isEqualTo(1);
    }
}
