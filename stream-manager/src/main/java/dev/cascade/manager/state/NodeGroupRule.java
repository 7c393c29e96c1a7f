package dev.cascade.manager.state;

import java.io.Serializable;
import java.util.Set;

/**
 * How many nodes of one role a node group keeps in one region of one cloud, and when it scales.
 * Thresholds are load as a fraction of capacity (0..1).
 */
public record NodeGroupRule(NodeRole role, String region, String cloud, String instanceType, Integer min, Integer max,
                            Double scaleOutThreshold, Double scaleInThreshold, Integer coolDownSeconds)
        implements Serializable {
    public static final Set<String> CLOUDS = Set.of("local", "aws", "gcp", "azure", "digitalocean", "linode", "openstack");

    public NodeGroupRule {
        if (role == null) {
            throw new InvalidValueException("role", "is required (origin, relay, edge or transcoder)");
        }
        Validation.region("region", region);
        cloud = cloud == null ? "local" : cloud;
        if (!CLOUDS.contains(cloud)) {
            throw new InvalidValueException("cloud", "must be one of " + String.join(", ", new java.util.TreeSet<>(CLOUDS))
                    + " (got " + Validation.quote(cloud) + ")");
        }
        instanceType = instanceType == null ? "" : instanceType;
        if (instanceType.length() > 100) {
            throw new InvalidValueException("instanceType", "at most 100 characters");
        }
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
    }

    private static void fraction(String field, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw new InvalidValueException(field, "must be between 0 and 1 (got " + v + ")");
        }
    }
}
