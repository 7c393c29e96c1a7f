package dev.cascade.manager.state;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.io.Serializable;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * A live event a node group must be ready for: from {@code start} to {@code end}, about
 * {@code expectedPublishers} publishers and {@code expectedViewers} viewers (in {@code region}, or
 * spread over the group's regions when absent). With a {@code recurrence} (UNIX cron, five fields,
 * in {@code timeZone}) it happens again at every cron time from {@code start} on, each time lasting
 * {@code end - start}. The autoscaler pre-scales the group so the capacity is in service at each
 * start, and lets its rules take over again after each end.
 */
public record ScheduledEvent(String id, String name, String group, Instant start, Instant end, Integer expectedPublishers,
                             Integer expectedViewers, String region, String recurrence, String timeZone,
                             Instant createdAt, Instant updatedAt) implements Serializable {
    public static final Duration MAX_DURATION = Duration.ofDays(7);
    private static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

    public ScheduledEvent {
        name = name == null ? "" : name;
        if (name.length() > 200) {
            throw new InvalidValueException("name", "at most 200 characters");
        }
        Validation.required("group", group);
        if (!group.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new InvalidValueException("group", "must be a node group name (got " + Validation.quote(group) + ")");
        }
        if (start == null) {
            throw new InvalidValueException("start", "is required (RFC 3339 time, e.g. 2026-12-31T20:00:00Z)");
        }
        if (end == null) {
            throw new InvalidValueException("end", "is required (RFC 3339 time, e.g. 2026-12-31T23:00:00Z)");
        }
        if (!end.isAfter(start)) {
            throw new InvalidValueException("end", "must be after start (" + start + "; got " + end + ")");
        }
        if (Duration.between(start, end).compareTo(MAX_DURATION) > 0) {
            throw new InvalidValueException("end", "an event lasts at most 7 days (got " + Duration.between(start, end) + ")");
        }
        expectedPublishers = expectedPublishers == null ? 0 : expectedPublishers;
        expectedViewers = expectedViewers == null ? 0 : expectedViewers;
        Validation.between("expectedPublishers", expectedPublishers, 0, 1_000_000);
        Validation.between("expectedViewers", expectedViewers, 0, 100_000_000);
        if (region != null) {
            Validation.region("region", region);
        }
        timeZone = timeZone == null ? "UTC" : timeZone;
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new InvalidValueException("timeZone", "is not a time zone (got " + Validation.quote(timeZone) + ")");
        }
        if (recurrence != null) {
            try {
                CRON.parse(recurrence).validate();
            } catch (IllegalArgumentException e) {
                throw new InvalidValueException("recurrence", "is not a five-field cron expression (" + e.getMessage()
                        + "; got " + Validation.quote(recurrence) + ")");
            }
        }
    }

    public ScheduledEvent stamped(String newId, Instant created, Instant updated) {
        return new ScheduledEvent(newId, name, group, start, end, expectedPublishers, expectedViewers, region, recurrence,
                timeZone, created, updated);
    }

    /** One occurrence of the event: {@code [start, end)}. */
    public record Occurrence(Instant start, Instant end) implements Serializable {}

    /**
     * The occurrence that is under way at {@code at}, or else the next one to start, or null when
     * there is none (a one-off event that has ended).
     */
    public Occurrence occurrence(Instant at) {
        Duration length = Duration.between(start, end);
        if (recurrence == null || at.isBefore(end)) {
            return at.isBefore(end) ? new Occurrence(start, end) : null;
        }
        ExecutionTime times = ExecutionTime.forCron(CRON.parse(recurrence));
        ZoneId zone = ZoneId.of(timeZone);
        // The latest cron time at or before `at` may still be under way; if not, the next one is due.
        Optional<ZonedDateTime> last = times.lastExecution(ZonedDateTime.ofInstant(at.plusSeconds(1), zone));
        if (last.isPresent()) {
            Instant s = last.get().toInstant();
            if (!s.isBefore(start) && at.isBefore(s.plus(length))) {
                return new Occurrence(s, s.plus(length));
            }
        }
        Optional<ZonedDateTime> next = times.nextExecution(ZonedDateTime.ofInstant(at, zone));
        return next.map(n -> new Occurrence(n.toInstant(), n.toInstant().plus(length))).orElse(null);
    }
}
