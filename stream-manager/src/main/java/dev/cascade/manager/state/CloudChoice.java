package dev.cascade.manager.state;

import java.io.Serializable;
import java.util.Set;
import java.util.TreeSet;

/**
 * One cloud a node-group rule may start nodes on. New nodes go to the clouds of the lowest
 * {@code priority} number that is not failing; among those, in proportion to {@code weight}. When a
 * cloud's apply fails, its nodes go to the next cloud (see {@code Autoscaler}). {@code cloudRegion} is
 * the cloud's own name for the rule's region ({@code eu-west} may be aws {@code eu-west-1} and gcp
 * {@code europe-west1}); absent, the rule's region is used as it is.
 */
public record CloudChoice(String cloud, String cloudRegion, Integer priority, Integer weight, String instanceType)
        implements Serializable {
    /** The platforms there is a Terraform module for (terraform/modules/NAME). */
    public static final Set<String> CLOUDS = Set.of("local", "aws", "gcp", "azure", "digitalocean", "linode", "openstack");

    public CloudChoice {
        cloud = cloud == null ? "local" : cloud;
        if (!CLOUDS.contains(cloud)) {
            throw new InvalidValueException("cloud", "must be one of " + String.join(", ", new TreeSet<>(CLOUDS))
                    + " (got " + Validation.quote(cloud) + ")");
        }
        if (cloudRegion != null) {
            Validation.region("cloudRegion", cloudRegion);
            if (!CloudRegions.has(cloud, cloudRegion)) {
                throw new InvalidValueException("cloudRegion", cloud + " has no region " + Validation.quote(cloudRegion));
            }
        }
        priority = priority == null ? 1 : priority;
        Validation.between("priority", priority, 1, 100);
        weight = weight == null ? 1 : weight;
        Validation.between("weight", weight, 1, 1000);
        instanceType = instanceType == null ? "" : instanceType;
        if (instanceType.length() > 100 || !instanceType.matches("[A-Za-z0-9_.:/-]*")) {
            throw new InvalidValueException("instanceType", "at most 100 of A-Z a-z 0-9 _ . : / - (got "
                    + Validation.quote(instanceType) + ")");
        }
    }

    public static CloudChoice local() {
        return new CloudChoice("local", null, 1, 1, "");
    }

    /** The region name on the cloud itself: {@code cloudRegion}, or else the rule's region. */
    public String regionOn(String ruleRegion) {
        return cloudRegion != null ? cloudRegion : ruleRegion;
    }
}
