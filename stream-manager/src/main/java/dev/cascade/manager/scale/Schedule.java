package dev.cascade.manager.scale;

import dev.cascade.manager.state.CloudChoice;
import dev.cascade.manager.state.CloudHealth;
import dev.cascade.manager.state.NodeGroup;
import dev.cascade.manager.state.NodeGroupRule;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.ScheduledEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What scheduled events ask of a node-group rule now: pure, tested in {@code ScheduleTest}.
 *
 * <p>An event counts from {@code start - lead} to {@code end}, where the lead is the rule's slowest
 * cloud's boot time (measured, else the configured default) times the safety factor, plus one
 * autoscaler interval (the tick that notices). Edges are sized for the expected viewers and origins
 * for the expected publishers, each node filled to the rule's out-threshold at most (so the event
 * does not itself trigger a scale-out); relays keep their rules. An event without a region is shared
 * equally by the group's rules of that role. Overlapping events add up.
 */
public final class Schedule {
    private Schedule() {}

    public static Duration lead(NodeGroupRule rule, Function<String, CloudHealth> health, Duration localBoot,
                                Duration defaultBoot, double safety, Duration interval) {
        Duration slowest = Duration.ZERO;
        for (CloudChoice c : rule.clouds()) {
            CloudHealth h = health.apply(c.cloud());
            Duration boot = h != null && h.slowestBoot() != null ? h.slowestBoot()
                    : c.cloud().equals("local") ? localBoot : defaultBoot;
            if (boot.compareTo(slowest) > 0) {
                slowest = boot;
            }
        }
        return Duration.ofMillis((long) (slowest.toMillis() * safety)).plus(interval);
    }

    public static RulePlanner.Demand demand(NodeGroup group, NodeGroupRule rule, Collection<ScheduledEvent> events,
                                            Duration lead, Instant now) {
        if (rule.role() != NodeRole.EDGE && rule.role() != NodeRole.ORIGIN) {
            return RulePlanner.Demand.NONE;
        }
        boolean edge = rule.role() == NodeRole.EDGE;
        int sharers = 0;
        for (NodeGroupRule r : group.rules()) {
            if (r.role() == rule.role()) {
                sharers++;
            }
        }
        int total = 0;
        Instant until = null;
        List<String> why = new ArrayList<>();
        for (ScheduledEvent ev : events) {
            if (!ev.group().equals(group.name()) || ev.region() != null && !ev.region().equals(rule.region())) {
                continue;
            }
            ScheduledEvent.Occurrence o = ev.occurrence(now);
            if (o == null || now.isBefore(o.start().minus(lead)) || !now.isBefore(o.end())) {
                continue;
            }
            int expected = edge ? ev.expectedViewers() : ev.expectedPublishers();
            int share = ev.region() != null ? expected : (expected + sharers - 1) / sharers;
            int perNode = edge ? rule.capacity().maxSubscribers() : rule.capacity().maxPublishers();
            int nodes;
            if (share == 0) {
                nodes = 0;
            } else if (perNode == 0) {
                nodes = 1;
            } else {
                double fill = Math.max(1, Math.floor(perNode * rule.scaleOutThreshold()));
                nodes = (int) Math.ceil(share / fill);
            }
            if (nodes > 0) {
                total += nodes;
                until = until == null || o.end().isAfter(until) ? o.end() : until;
                why.add("event " + (ev.name().isEmpty() ? ev.id() : "'" + ev.name() + "'") + " (" + o.start() + " to "
                        + o.end() + ", " + expected + (edge ? " viewers" : " publishers") + ")");
            }
        }
        return total == 0 ? RulePlanner.Demand.NONE : new RulePlanner.Demand(total, String.join(" + ", why), until);
    }

    /** Looks a cloud up in a map snapshot. */
    public static Function<String, CloudHealth> from(Map<String, CloudHealth> clouds) {
        return clouds::get;
    }
}
