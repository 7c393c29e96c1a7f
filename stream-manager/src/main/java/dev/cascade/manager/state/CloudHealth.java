package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the cluster knows of one cloud: until when it gets no new nodes (its last apply failed), why,
 * and how long its last nodes took from request to INSERVICE (the lead time of scheduled events).
 */
public record CloudHealth(String cloud, Instant failingUntil, String lastError, List<Long> bootMillis)
        implements Serializable {
    public static final int BOOTS_KEPT = 20;

    public CloudHealth {
        bootMillis = List.copyOf(bootMillis);
    }

    public static CloudHealth of(String cloud) {
        return new CloudHealth(cloud, null, "", List.of());
    }

    public boolean failing(Instant now) {
        return failingUntil != null && now.isBefore(failingUntil);
    }

    /** The slowest of the last {@value #BOOTS_KEPT} boots, or null before the first. */
    public Duration slowestBoot() {
        return bootMillis.isEmpty() ? null : Duration.ofMillis(bootMillis.stream().mapToLong(Long::longValue).max().orElse(0));
    }

    public CloudHealth booted(long millis) {
        List<Long> next = new ArrayList<>(bootMillis);
        next.add(millis);
        while (next.size() > BOOTS_KEPT) {
            next.remove(0);
        }
        return new CloudHealth(cloud, failingUntil, lastError, next);
    }

    public CloudHealth failed(Instant until, String error) {
        return new CloudHealth(cloud, until, error, bootMillis);
    }

    public CloudHealth recovered() {
        return new CloudHealth(cloud, null, lastError, bootMillis);
    }
}
