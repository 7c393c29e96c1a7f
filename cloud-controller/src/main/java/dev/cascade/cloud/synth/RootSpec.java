package dev.cascade.cloud.synth;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything the root configuration of one deployment is made from, already validated.
 *
 * @param name            the deployment (node group) name
 * @param moduleSource    the platform's module folder, absolute
 * @param sourceInConfig  the same as the configuration names it: relative to the working directory
 *                        ({@code ../...}), so Terraform uses the module in place instead of copying it
 * @param image           the platform's image (for local: the node command)
 * @param providerConfig  the provider block's attributes
 * @param moduleVariables the platform's extra module inputs, defaults applied (local's {@code state_dir})
 * @param nodeConfig      the modules' {@code node_config}
 * @param modules         the module blocks, sorted by name
 */
public record RootSpec(String name, Platform platform, Path moduleSource, String sourceInConfig, String image,
                       List<String> managerUrls,
                       Map<String, String> providerConfig, Map<String, String> moduleVariables,
                       Map<String, String> nodeConfig, List<ModuleSpec> modules) {
    public RootSpec {
        managerUrls = List.copyOf(managerUrls);
        providerConfig = Map.copyOf(providerConfig);
        moduleVariables = Map.copyOf(moduleVariables);
        nodeConfig = Map.copyOf(nodeConfig);
        modules = List.copyOf(modules);
    }
}
