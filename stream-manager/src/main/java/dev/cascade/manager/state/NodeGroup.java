package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A named set of nodes with scaling rules per role and region, each over one or more clouds. The
 * autoscaler keeps every rule's node count between its min and max by load and scheduled events.
 * {@code abr}, when present, is the default ABR ladder and policy of the group's streams: it applies
 * to a stream that has no provision of its own. It has no {@code source} (sources differ per stream).
 */
public record NodeGroup(String name, String description, List<NodeGroupRule> rules, Provision abr, Instant createdAt,
                        Instant updatedAt) implements Serializable {
    public static final int MAX_RULES = 100;

    public NodeGroup {
        Validation.required("name", name);
        if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new InvalidValueException("name", "must be 1-63 of a-z 0-9 - starting with a letter or digit (got "
                    + Validation.quote(name) + ")");
        }
        description = description == null ? "" : description;
        if (description.length() > 500) {
            throw new InvalidValueException("description", "at most 500 characters");
        }
        if (rules == null || rules.isEmpty()) {
            throw new InvalidValueException("rules", "must have at least one rule");
        }
        if (rules.size() > MAX_RULES) {
            throw new InvalidValueException("rules", "at most " + MAX_RULES + " rules (got " + rules.size() + ")");
        }
        rules = List.copyOf(rules);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rules.size(); i++) {
            NodeGroupRule r = rules.get(i);
            if (r == null) {
                throw new InvalidValueException("rules[" + i + "]", "must be an object");
            }
            if (!seen.add(r.key())) {
                throw new InvalidValueException("rules[" + i + "]", "a second rule for role " + r.role().wireName()
                        + " in region " + r.region() + " (list several clouds in one rule's clouds)");
            }
        }
        if (abr != null && abr.source() != null) {
            throw new InvalidValueException("abr.source", "a node group's default ladder has no source (sources differ per"
                    + " stream; give it in the stream's provision)");
        }
    }

    public NodeGroup stamped(Instant created, Instant updated) {
        return new NodeGroup(name, description, rules, abr == null ? null : abr.stamped(updated), created, updated);
    }
}
