package dev.cascade.manager.state;

import com.hazelcast.map.EntryProcessor;
import java.time.Instant;
import java.util.Map;

/**
 * Every mutation of cluster state, as Hazelcast entry processors: each runs on the member that owns
 * the entry's partition, atomically for that key, and the same processor (with the same inputs,
 * including the time, so it is deterministic) is applied to the backup. No get-modify-put races.
 */
public final class Processors {
    private Processors() {}

    /** Result of a processor on a node: the record after it ran, or why it did nothing. */
    public record NodeResult(Outcome outcome, NodeRecord node) implements java.io.Serializable {}

    public enum Outcome { OK, ABSENT, GONE, CONFLICT }

    /** A node registers (again): a fresh STARTING record, keeping nothing of a previous life. */
    public record Register(NodeRegistration registration, Instant now) implements EntryProcessor<String, NodeRecord, NodeRecord> {
        @Override
        public NodeRecord process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord next = NodeRecord.registered(registration, now);
            entry.setValue(next);
            return next;
        }
    }

    /** A heartbeat: load and streams; STARTING becomes INSERVICE when the node says it is ready. */
    public record Beat(Heartbeat heartbeat, Instant now) implements EntryProcessor<String, NodeRecord, NodeResult> {
        @Override
        public NodeResult process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord n = entry.getValue();
            if (n == null) {
                return new NodeResult(Outcome.ABSENT, null);
            }
            if (!n.state().alive()) {
                return new NodeResult(Outcome.GONE, n);
            }
            NodeRecord next = n.withHeartbeat(heartbeat, now);
            entry.setValue(next);
            return new NodeResult(Outcome.OK, next);
        }
    }

    /** The node leaves on its own: TERMINATED. */
    public record Deregister(Instant now) implements EntryProcessor<String, NodeRecord, NodeResult> {
        @Override
        public NodeResult process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord n = entry.getValue();
            if (n == null) {
                return new NodeResult(Outcome.ABSENT, null);
            }
            NodeRecord next = n.withState(NodeState.TERMINATED, now);
            entry.setValue(next);
            return new NodeResult(Outcome.OK, next);
        }
    }

    /** An admin drains a node: no new placements on it. Idempotent; a gone node is a conflict. */
    public record Drain(Instant now) implements EntryProcessor<String, NodeRecord, NodeResult> {
        @Override
        public NodeResult process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord n = entry.getValue();
            if (n == null) {
                return new NodeResult(Outcome.ABSENT, null);
            }
            if (n.state().gone() || n.state() == NodeState.REQUESTED) {
                return new NodeResult(Outcome.CONFLICT, n);
            }
            NodeRecord next = n.withState(NodeState.DRAINING, now);
            entry.setValue(next);
            return new NodeResult(Outcome.OK, next);
        }
    }

    /**
     * Marks a node FAILED if its last heartbeat is still the one the failure detector saw, so a
     * heartbeat that lands between the check and this processor wins.
     */
    public record Fail(Instant lastHeartbeatSeen, Instant now) implements EntryProcessor<String, NodeRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord n = entry.getValue();
            if (n == null || !n.state().alive() || !n.lastHeartbeatAt().equals(lastHeartbeatSeen)) {
                return false;
            }
            entry.setValue(n.withState(NodeState.FAILED, now));
            return true;
        }
    }

    /** Forgets a gone node once its retention has passed (unless it came back meanwhile). */
    public record Forget(Instant stateSinceSeen) implements EntryProcessor<String, NodeRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord n = entry.getValue();
            if (n == null || !n.state().gone() || !n.stateSince().equals(stateSinceSeen)) {
                return false;
            }
            entry.setValue(null);
            return true;
        }
    }

    // ------------------------------------------------------------------ streams

    /**
     * A publisher was placed on {@code origin}: the stream now belongs there. An origin already
     * holding the stream live keeps it (placement asked for it first; this guards a race between
     * two members placing the first publisher at once: the first write wins and both answers are
     * corrected to the winner).
     */
    public record PlacePublisher(String origin, Instant now) implements EntryProcessor<String, StreamRecord, StreamRecord> {
        @Override
        public StreamRecord process(Map.Entry<String, StreamRecord> entry) {
            StreamRecord s = entry.getValue();
            StreamRecord next;
            if (s != null && s.origin() != null && (s.live() || s.placedAt().isAfter(now.minusSeconds(10)))
                    && !s.origin().equals(origin)) {
                next = new StreamRecord(s.key(), s.origin(), s.live(), now, s.seenAt());
            } else {
                next = new StreamRecord(entry.getKey(), origin, s != null && s.live() && origin.equals(s.origin()), now,
                        s == null ? now : s.seenAt());
            }
            entry.setValue(next);
            return next;
        }
    }

    /** An origin's heartbeat shows it publishing the stream (live) or no longer publishing it. */
    public record OriginReport(String origin, boolean live, Instant now) implements EntryProcessor<String, StreamRecord, Void> {
        @Override
        public Void process(Map.Entry<String, StreamRecord> entry) {
            StreamRecord s = entry.getValue();
            if (live) {
                Instant placed = s == null ? now : s.placedAt();
                entry.setValue(new StreamRecord(entry.getKey(), origin, true, placed, now));
            } else if (s != null && origin.equals(s.origin()) && s.live()) {
                entry.setValue(new StreamRecord(s.key(), s.origin(), false, s.placedAt(), now));
            }
            return null;
        }
    }

    /** Forgets an idle stream unless something touched it since the janitor looked. */
    public record ForgetStream(Instant seenAtSeen, Instant placedAtSeen) implements EntryProcessor<String, StreamRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, StreamRecord> entry) {
            StreamRecord s = entry.getValue();
            if (s == null || s.live() || !s.seenAt().equals(seenAtSeen) || !s.placedAt().equals(placedAtSeen)) {
                return false;
            }
            entry.setValue(null);
            return true;
        }
    }

    // ------------------------------------------------------------------ routes

    /** Records that {@code from} pulls the stream from {@code to}. */
    public record Link(String from, String to, Instant now) implements EntryProcessor<String, RouteRecord, RouteRecord> {
        @Override
        public RouteRecord process(Map.Entry<String, RouteRecord> entry) {
            RouteRecord r = entry.getValue();
            RouteRecord next = (r == null ? new RouteRecord(entry.getKey(), Map.of()) : r).with(from, to, now);
            entry.setValue(next);
            return next;
        }
    }

    /** Removes a link (its downstream node stopped pulling, or left), and the route with its last link. */
    public record Unlink(String from, String toSeen) implements EntryProcessor<String, RouteRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, RouteRecord> entry) {
            RouteRecord r = entry.getValue();
            if (r == null || !r.links().containsKey(from) || !r.links().get(from).to().equals(toSeen)) {
                return false;
            }
            RouteRecord next = r.without(from);
            entry.setValue(next.links().isEmpty() ? null : next);
            return true;
        }
    }

    // ------------------------------------------------------------------ API keys

    /** Stores a new API key unless the id is taken; returns false on a (vanishingly rare) collision. */
    public record CreateKey(ApiKeyRecord key) implements EntryProcessor<String, ApiKeyRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, ApiKeyRecord> entry) {
            if (entry.getValue() != null) {
                return false;
            }
            entry.setValue(key);
            return true;
        }
    }

    // ------------------------------------------------------------------ node groups

    /** Replaces a group's rules, keeping its creation time; ABSENT when there is no such group. */
    public record ReplaceGroup(NodeGroup group, Instant now) implements EntryProcessor<String, NodeGroup, NodeGroup> {
        @Override
        public NodeGroup process(Map.Entry<String, NodeGroup> entry) {
            NodeGroup old = entry.getValue();
            if (old == null) {
                return null;
            }
            NodeGroup next = group.stamped(old.createdAt(), now);
            entry.setValue(next);
            return next;
        }
    }

    /** Creates a group unless one has the name; returns null on conflict. */
    public record CreateGroup(NodeGroup group, Instant now) implements EntryProcessor<String, NodeGroup, NodeGroup> {
        @Override
        public NodeGroup process(Map.Entry<String, NodeGroup> entry) {
            if (entry.getValue() != null) {
                return null;
            }
            NodeGroup next = group.stamped(now, now);
            entry.setValue(next);
            return next;
        }
    }

    // ------------------------------------------------------------------ provisions

    /** Sets a stream's provision (creating or replacing it), stamped with {@code now}; returns it. */
    public record PutProvision(Provision provision, Instant now) implements EntryProcessor<String, Provision, Provision> {
        @Override
        public Provision process(Map.Entry<String, Provision> entry) {
            Provision next = provision.stamped(now);
            entry.setValue(next);
            return next;
        }
    }

    // ------------------------------------------------------------------ transcodes

    /**
     * The transcode assigner's change to a stream's job: {@code next} (null: the job ends) replaces
     * the record only if it is still the one the assigner decided from ({@code seen}, null: none), so a
     * second assigner (two members that both believe they are the oldest for a moment) or a stale view
     * changes nothing; the next run decides again from the current record. Returns whether it applied.
     */
    public record SetTranscode(TranscodeRecord seen, TranscodeRecord next)
            implements EntryProcessor<String, TranscodeRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, TranscodeRecord> entry) {
            if (!java.util.Objects.equals(entry.getValue(), seen)) {
                return false;
            }
            entry.setValue(next);
            return true;
        }
    }

    // ------------------------------------------------------------------ scheduled events

    /** Stores a new event unless the id is taken (a vanishingly rare collision: null). */
    public record CreateEvent(ScheduledEvent event) implements EntryProcessor<String, ScheduledEvent, ScheduledEvent> {
        @Override
        public ScheduledEvent process(Map.Entry<String, ScheduledEvent> entry) {
            if (entry.getValue() != null) {
                return null;
            }
            entry.setValue(event);
            return event;
        }
    }

    /** Replaces an event, keeping its id and creation time; null when there is no such event. */
    public record ReplaceEvent(ScheduledEvent event, Instant now) implements EntryProcessor<String, ScheduledEvent, ScheduledEvent> {
        @Override
        public ScheduledEvent process(Map.Entry<String, ScheduledEvent> entry) {
            ScheduledEvent old = entry.getValue();
            if (old == null) {
                return null;
            }
            ScheduledEvent next = event.stamped(old.id(), old.createdAt(), now);
            entry.setValue(next);
            return next;
        }
    }

    // ------------------------------------------------------------------ autoscaling

    /** One change to a deployment (see {@link DeploymentRecord.Change}); creates the deployment if needed. */
    public record ChangeDeployment(String group, String cloud, DeploymentRecord.Change change, Instant now)
            implements EntryProcessor<String, DeploymentRecord, DeploymentRecord> {
        @Override
        public DeploymentRecord process(Map.Entry<String, DeploymentRecord> entry) {
            DeploymentRecord d = entry.getValue();
            DeploymentRecord next = change.apply(d != null ? d : DeploymentRecord.empty(group, cloud, now));
            entry.setValue(next);
            return next;
        }
    }

    /**
     * The autoscaler asked a cloud for this node: a REQUESTED record (not placed on; shown in lists)
     * until the node registers. Does nothing if the id is in use by a live node.
     */
    public record Request(NodeRecord requested) implements EntryProcessor<String, NodeRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord n = entry.getValue();
            if (n != null && !n.state().gone()) {
                return false;
            }
            entry.setValue(requested);
            return true;
        }
    }

    /**
     * A node that is still REQUESTED (never registered) since {@code stateSinceSeen} becomes FAILED:
     * its cloud did not bring it up within the boot timeout.
     */
    public record BootTimedOut(Instant stateSinceSeen, Instant now) implements EntryProcessor<String, NodeRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord n = entry.getValue();
            if (n == null || n.state() != NodeState.REQUESTED || !n.stateSince().equals(stateSinceSeen)) {
                return false;
            }
            entry.setValue(n.withState(NodeState.FAILED, now));
            return true;
        }
    }

    /** The cloud destroyed a node: TERMINATED unless it already left (or failed) on its own. */
    public record Terminated(Instant now) implements EntryProcessor<String, NodeRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord n = entry.getValue();
            if (n == null || n.state().gone()) {
                return false;
            }
            entry.setValue(n.withState(NodeState.TERMINATED, now));
            return true;
        }
    }

    /** Moves a REQUESTED node's record to another cloud (its first cloud failed to start it). */
    public record MoveRequested(String cloud) implements EntryProcessor<String, NodeRecord, Boolean> {
        @Override
        public Boolean process(Map.Entry<String, NodeRecord> entry) {
            NodeRecord n = entry.getValue();
            if (n == null || n.state() != NodeState.REQUESTED) {
                return false;
            }
            entry.setValue(n.onCloud(cloud));
            return true;
        }
    }

    /** A node of {@code cloud} booted in {@code millis}, or the cloud failed / recovered. */
    public record ChangeCloud(String cloud, Long bootedMillis, Instant failingUntil, String error, boolean recovered)
            implements EntryProcessor<String, CloudHealth, CloudHealth> {
        @Override
        public CloudHealth process(Map.Entry<String, CloudHealth> entry) {
            CloudHealth h = entry.getValue() != null ? entry.getValue() : CloudHealth.of(cloud);
            if (bootedMillis != null) {
                h = h.booted(bootedMillis);
            }
            if (failingUntil != null) {
                h = h.failed(failingUntil, error);
            }
            if (recovered) {
                h = h.recovered();
            }
            entry.setValue(h);
            return h;
        }
    }
}
