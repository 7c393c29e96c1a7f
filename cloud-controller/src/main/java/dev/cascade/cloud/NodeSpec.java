package dev.cascade.cloud;

import java.util.Map;

/**
 * One node the deployment should have.
 *
 * @param id     the node's id, unique in its deployment; {@code [A-Za-z0-9_.-]{1,64}} (it becomes the node's
 *               {@code CASCADE_NODE_ID} and a Terraform {@code for_each} key)
 * @param role   {@code origin}, {@code relay}, {@code edge} or {@code transcoder}
 * @param region the platform's region ({@code us-east-1}, {@code europe-west1}, {@code local}...);
 *               {@code [a-z0-9-]{1,64}}
 * @param size   the platform's instance size ({@code t3.small}, {@code s-2vcpu-4gb}...); null or blank: the
 *               module's default. All nodes of one role in one region share one size.
 * @param nodeConfig extra node settings as environment variables ({@code CASCADE_NODE_CAPACITY_MAX_SUBSCRIBERS=500}),
 *                   on top of the platform's; all nodes of one role in one region share them (they become
 *                   that module block's {@code node_config})
 */
public record NodeSpec(String id, String role, String region, String size, Map<String, String> nodeConfig) {
    public NodeSpec {
        nodeConfig = nodeConfig == null ? Map.of() : Map.copyOf(nodeConfig);
    }

    public NodeSpec(String id, String role, String region, String size) {
        this(id, role, region, size, Map.of());
    }
}
