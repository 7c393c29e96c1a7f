package dev.cascade.manager.scale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cascade.manager.state.Capacity;
import dev.cascade.manager.state.CloudChoice;
import dev.cascade.manager.state.CloudHealth;
import dev.cascade.manager.state.InvalidValueException;
import dev.cascade.manager.state.NodeGroup;
import dev.cascade.manager.state.NodeGroupRule;
import dev.cascade.manager.state.NodeRole;
import dev.cascade.manager.state.ScheduledEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    static final Instant START = Instant.parse("2026-11-21T20:00:00Z");
    static final Instant END = Instant.parse("2026-11-21T22:00:00Z");

    static NodeGroupRule edge(String region) {
        return new NodeGroupRule(NodeRole.EDGE, region, null, 1, 50, 0.8, 0.3, 60, new Capacity(100, 0, 0));
    }

    static ScheduledEvent event(int viewers, String region, String cron) {
        return new ScheduledEvent("ev_000000000001", "final", "g", START, END, 1, viewers, region, cron, null, null, null);
    }

    @Test
    void edgesAreSizedForTheViewersAtTheOutThresholdFromTheLeadOn() {
        NodeGroup g = new NodeGroup("g", "", List.of(edge("a")), null, null, null);
        Duration lead = Duration.ofMinutes(5);
        ScheduledEvent ev = event(1000, null, null);
        assertThat(Schedule.demand(g, edge("a"), List.of(ev), lead, START.minus(lead).minusSeconds(1)).nodes()).isZero();
        RulePlanner.Demand d = Schedule.demand(g, edge("a"), List.of(ev), lead, START.minus(lead));
        assertThat(d.nodes()).isEqualTo(13); // 1000 viewers at 80 per node
        assertThat(d.reason()).contains("event 'final'").contains("1000 viewers");
        assertThat(Schedule.demand(g, edge("a"), List.of(ev), lead, END.minusSeconds(1)).nodes()).isEqualTo(13);
        assertThat(Schedule.demand(g, edge("a"), List.of(ev), lead, END).nodes()).isZero();
    }

    @Test
    void anEventWithoutRegionIsSharedAndOverlappingEventsAddUp() {
        NodeGroup g = new NodeGroup("g", "", List.of(edge("a"), edge("b")), null, null, null);
        ScheduledEvent everywhere = event(800, null, null);
        ScheduledEvent onlyB = event(160, "b", null);
        assertThat(Schedule.demand(g, edge("a"), List.of(everywhere, onlyB), Duration.ZERO, START).nodes()).isEqualTo(5);
        assertThat(Schedule.demand(g, edge("b"), List.of(everywhere, onlyB), Duration.ZERO, START).nodes()).isEqualTo(7);
    }

    @Test
    void relaysAndOtherGroupsAreNotAsked() {
        NodeGroupRule relay = new NodeGroupRule(NodeRole.RELAY, "a", null, 1, 5, 0.8, 0.3, 60, null);
        NodeGroup g = new NodeGroup("g", "", List.of(edge("a"), relay), null, null, null);
        assertThat(Schedule.demand(g, relay, List.of(event(1000, null, null)), Duration.ZERO, START).nodes()).isZero();
        NodeGroup other = new NodeGroup("other", "", List.of(edge("a")), null, null, null);
        assertThat(Schedule.demand(other, edge("a"), List.of(event(1000, null, null)), Duration.ZERO, START).nodes()).isZero();
    }

    @Test
    void leadIsTheSlowestCloudsMeasuredBootTimesTheFactorPlusOneTick() {
        NodeGroupRule r = new NodeGroupRule(NodeRole.EDGE, "us-east", List.of(new CloudChoice("local", null, 1, 1, ""),
                new CloudChoice("aws", "us-east-1", 2, 1, "")), 1, 5, 0.7, 0.3, 0, null);
        Duration none = Schedule.lead(r, c -> null, Duration.ofSeconds(15), Duration.ofSeconds(240), 1.5, Duration.ofSeconds(5));
        assertThat(none).isEqualTo(Duration.ofSeconds(365));
        Map<String, CloudHealth> measured = Map.of("local", CloudHealth.of("local").booted(3000).booted(4000),
                "aws", CloudHealth.of("aws").booted(60_000));
        assertThat(Schedule.lead(r, measured::get, Duration.ofSeconds(15), Duration.ofSeconds(240), 2, Duration.ofSeconds(5)))
                .isEqualTo(Duration.ofSeconds(125));
    }

    @Test
    void recurringEventsHappenAgainAtEachCronTime() {
        // every day at 20:00 UTC, two hours long, from START on
        ScheduledEvent daily = event(100, null, "0 20 * * *");
        assertThat(daily.occurrence(START.minusSeconds(3600))).isEqualTo(new ScheduledEvent.Occurrence(START, END));
        Instant nextDay = START.plus(Duration.ofDays(1));
        assertThat(daily.occurrence(END.plusSeconds(1))).isEqualTo(new ScheduledEvent.Occurrence(nextDay, nextDay.plusSeconds(7200)));
        assertThat(daily.occurrence(nextDay.plusSeconds(60))).isEqualTo(new ScheduledEvent.Occurrence(nextDay, nextDay.plusSeconds(7200)));
        assertThat(event(100, null, null).occurrence(END)).isNull();
    }

    @Test
    void badEventsAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> new ScheduledEvent(null, "x", "g", END, START, 0, 0, null, null, null, null, null))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("end").hasMessageContaining("after start");
        assertThatThrownBy(() -> new ScheduledEvent(null, "x", "g", START, START.plus(Duration.ofDays(8)), 0, 0, null, null,
                null, null, null)).hasMessageContaining("at most 7 days");
        assertThatThrownBy(() -> event(1, null, "every day")).hasMessageContaining("recurrence");
        assertThatThrownBy(() -> new ScheduledEvent(null, "x", "g", START, END, -1, 0, null, null, null, null, null))
                .hasMessageContaining("expectedPublishers");
        assertThatThrownBy(() -> new ScheduledEvent(null, "x", "g", START, END, 0, 0, null, null, "Mars/Base", null, null))
                .hasMessageContaining("timeZone");
        assertThatThrownBy(() -> new ScheduledEvent(null, "x", "G!", START, END, 0, 0, null, null, null, null, null))
                .hasMessageContaining("group");
    }

    @Test
    void rulesRefuseUnknownCloudsAndRegionsTheCloudDoesNotHave() {
        assertThatThrownBy(() -> new CloudChoice("ibm", null, 1, 1, "")).hasMessageContaining("must be one of");
        assertThatThrownBy(() -> new NodeGroupRule(NodeRole.EDGE, "eu-west", List.of(new CloudChoice("aws", null, 1, 1, "")),
                1, 2, 0.7, 0.3, 0, null)).hasMessageContaining("aws has no region 'eu-west'");
        assertThatThrownBy(() -> new CloudChoice("gcp", "mars-north1", 1, 1, "")).hasMessageContaining("gcp has no region");
        assertThatThrownBy(() -> new NodeGroupRule(NodeRole.EDGE, "a", List.of(CloudChoice.local(), CloudChoice.local()),
                1, 2, 0.7, 0.3, 0, null)).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> new NodeGroupRule(NodeRole.EDGE, "a", null, 3, 2, 0.7, 0.3, 0, null))
                .hasMessageContaining("max").hasMessageContaining("at least min");
        assertThat(new NodeGroupRule(NodeRole.EDGE, "eu-west", List.of(new CloudChoice("aws", "eu-west-1", 1, 1, "")), 1, 2,
                0.7, 0.3, 0, null).clouds().get(0).regionOn("eu-west")).isEqualTo("eu-west-1");
    }
}
