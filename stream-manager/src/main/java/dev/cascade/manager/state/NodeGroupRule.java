package dev.cascade.manager.state;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many nodes of one role a node group keeps in one region, on which clouds, and when it scales.
 * Thresholds are load as a fraction of capacity (0..1; see {@code Utilization}). {@code capacity} is
 * what each node started for this rule may carry (given to the node, and used to size scheduled
 * events); unlimited when absent.
 */
public record NodeGroupRule(NodeRole role, String region, List<CloudChoice> clouds, Integer min, Integer max,
                            Double scaleOutThreshold, Double scaleInThreshold, Integer coolDownSeconds,
                            Capacity capacity) implements Serializable {
    public static final int MAX_CLOUDS = 7;

    public NodeGroupRule {
        if (role == null) {
            throw new InvalidValueException("role", "is required (origin, relay, edge or transcoder)");
        }
        Validation.region("region", region);
        clouds = clouds == null || clouds.isEmpty() ? List.of(CloudChoice.local()) : clouds;
        if (clouds.size() > MAX_CLOUDS) {
            throw new InvalidValueException("clouds", "at most " + MAX_CLOUDS + " clouds (got " + clouds.size() + ")");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < clouds.size(); i++) {
            CloudChoice c = clouds.get(i);
            if (c == null) {
                throw new InvalidValueException("clouds[" + i + "]", "must be an object");
            }
            if (!seen.add(c.cloud())) {
                throw new InvalidValueException("clouds[" + i + "]", "cloud " + c.cloud() + " is listed twice");
            }
            if (!CloudRegions.has(c.cloud(), c.regionOn(region))) {
                throw new InvalidValueException("clouds[" + i + "].cloudRegion", c.cloud() + " has no region '"
                        + c.regionOn(region) + "': set cloudRegion to the cloud's name for region " + region);
            }
        }
        clouds = List.copyOf(clouds);
        if (min == null) {
            throw new InvalidValueException("min", "is required");
        }
        if (max == null) {
            throw new InvalidValueException("max", "is required");
        }
        Validation.between("min", min, 0, 10_000);
        Validation.between("max", max, 0, 10_000);
        if (max < min) {
            throw new InvalidValueException("max", "must be at least min (" + min + "; got " + max + ")");
        }
        scaleOutThreshold = scaleOutThreshold == null ? 0.7 : scaleOutThreshold;
        scaleInThreshold = scaleInThreshold == null ? 0.3 : scaleInThreshold;
        fraction("scaleOutThreshold", scaleOutThreshold);
        fraction("scaleInThreshold", scaleInThreshold);
        if (scaleInThreshold >= scaleOutThreshold) {
            throw new InvalidValueException("scaleInThreshold", "must be below scaleOutThreshold (" + scaleOutThreshold
                    + "; got " + scaleInThreshold + ")");
        }
        coolDownSeconds = coolDownSeconds == null ? 120 : coolDownSeconds;
        Validation.between("coolDownSeconds", coolDownSeconds, 0, 86_400);
        capacity = capacity == null ? Capacity.UNLIMITED : capacity.checkedFor(role);
    }

    /** The key of this rule's nodes within its group: {@code role/region}. */
    public String key() {
        return role.wireName() + "/" + region;
    }

    /** The rule's choice for {@code cloud}, or null if it does not use that cloud. */
    public CloudChoice choice(String cloud) {
        for (CloudChoice c : clouds) {
            if (c.cloud().equals(cloud)) {
                return c;
            }
        }
        return null;
    }

    private static void fraction(String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new InvalidValueException(field, "must be between 0 and 1 (got " + v + ")");
        }
    }
}
