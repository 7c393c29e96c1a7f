package dev.cascade.cloud.synth;

import java.util.List;
import java.util.Map;

/**
 * One module block of the root configuration: the nodes of one role in one region.
 *
 * @param moduleName the block's name, {@link #nameFor(String, String) role_region}
 * @param size       the instance size, or null for the module's default
 * @param nodeIds    the nodes' ids, sorted; empty for a group that is being emptied (kept so its nodes are
 *                   destroyed by the module that made them, destroy-time provisioners included)
 * @param nodeConfig the nodes' own settings, merged over the platform's {@code node_config}
 */
public record ModuleSpec(String moduleName, String role, String region, String size, List<String> nodeIds,
                         Map<String, String> nodeConfig) {
    public ModuleSpec {
        nodeIds = List.copyOf(nodeIds);
        nodeConfig = Map.copyOf(nodeConfig);
    }

    /** {@code edge} in {@code us-east-1} gives {@code edge_us_east_1}. Regions never hold '_', so this is reversible. */
    public static String nameFor(String role, String region) {
        return role + "_" + region.replace('-', '_');
    }

    /** The root output that carries this module's {@code nodes}. */
    public String outputName() {
        return "nodes_" + moduleName;
    }

    /** The aliased provider name for a region ({@code us-east-1} gives {@code us_east_1}). */
    public static String aliasFor(String region) {
        return region.replace('-', '_');
    }
}
