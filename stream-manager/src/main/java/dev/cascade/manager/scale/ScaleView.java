package dev.cascade.manager.scale;

import dev.cascade.manager.state.ClusterState;
import dev.cascade.manager.state.CloudHealth;
import dev.cascade.manager.state.DeploymentRecord;
import dev.cascade.manager.state.ScaleDecision;
import dev.cascade.manager.state.ScheduledEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A once-a-second copy of the autoscaling state for the dashboard's snapshots, read off the event
 * loops (reading the maps and the decision ring are remote calls).
 */
public final class ScaleView {
    public static final int DECISIONS = 50;

    public record Snapshot(List<ScaleDecision> decisions, List<DeploymentRecord> deployments,
                           List<ScheduledEvent> scheduledEvents, List<CloudHealth> clouds) {}

    private final ClusterState state;
    private volatile Snapshot current = new Snapshot(List.of(), List.of(), List.of(), List.of());

    public ScaleView(ClusterState state) {
        this.state = state;
    }

    public Snapshot current() {
        return current;
    }

    public void refresh() {
        List<ScaleDecision> decisions = new ArrayList<>();
        long tail = state.decisions.tailSequence();
        long from = Math.max(state.decisions.headSequence(), tail - DECISIONS + 1);
        if (tail >= 0) {
            try {
                // One call for the lot (the ring may overwrite the oldest meanwhile: readMany starts at
                // the head then).
                state.decisions.readManyAsync(from, 0, DECISIONS, null).toCompletableFuture().get(2, TimeUnit.SECONDS)
                        .forEach(decisions::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                return; // keep the last snapshot; the next second tries again
            }
        }
        Collections.reverse(decisions);
        List<DeploymentRecord> deployments = new ArrayList<>(state.deployments.values());
        deployments.sort(Comparator.comparing(DeploymentRecord::key));
        List<ScheduledEvent> events = new ArrayList<>(state.events.values());
        events.sort(Comparator.comparing(ScheduledEvent::start));
        current = new Snapshot(decisions, deployments, events, new ArrayList<>(state.clouds.values()));
    }
}
