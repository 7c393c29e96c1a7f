package dev.cascade.cloud;

import java.util.Map;

/**
 * How to run nodes on one platform.
 *
 * @param image           what a node boots: a machine image id on clouds; for {@code local}, the command line that
 *                        starts one node process (e.g. {@code java -cp '/opt/cascade/lib/*' dev.cascade.node.Main})
 * @param providerConfig  attributes of the platform's Terraform provider block ({@code project} for gcp,
 *                        {@code subscription_id} for azure...). Never credentials: those come from the environment
 *                        of the process ({@code AWS_ACCESS_KEY_ID}, {@code GOOGLE_APPLICATION_CREDENTIALS},
 *                        {@code ARM_CLIENT_SECRET}, {@code DIGITALOCEAN_TOKEN}, {@code LINODE_TOKEN}, {@code OS_*})
 * @param moduleVariables extra inputs of the platform's module ({@code state_dir} for local, which defaults to the
 *                        deployment's working directory; {@code vpc_id}, {@code ssh_key_ids}...); they may not set
 *                        the common inputs the controller sets
 * @param nodeConfig      extra node settings as environment variables ({@code CASCADE_SRT_LATENCY_MS=200}),
 *                        the modules' {@code node_config}
 */
public record PlatformSettings(String image, Map<String, String> providerConfig, Map<String, String> moduleVariables,
                               Map<String, String> nodeConfig) {
    public PlatformSettings {
        providerConfig = providerConfig == null ? Map.of() : Map.copyOf(providerConfig);
        moduleVariables = moduleVariables == null ? Map.of() : Map.copyOf(moduleVariables);
        nodeConfig = nodeConfig == null ? Map.of() : Map.copyOf(nodeConfig);
    }

    /** Just an image (or, for {@code local}, the node command). */
    public static PlatformSettings of(String image) {
        return new PlatformSettings(image, Map.of(), Map.of(), Map.of());
    }
}
