package dev.cascade.cloud;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything a {@link CloudController} needs besides the deployments themselves.
 *
 * @param workRoot        where the working directories live: {@code <workRoot>/<name>/<cloud>/} holds the root
 *                        configuration ({@code cdk.tf.json}), {@code .terraform/}, the lock file and the state
 *                        ({@code terraform.tfstate}); keep it on persistent storage
 * @param modulesDir      the folder with one Terraform module per platform ({@code terraform/modules}); each
 *                        module is used from {@code <modulesDir>/<cloud>} by absolute path
 * @param terraformBinary the {@code terraform} executable (a name looked up in PATH, or a path); 1.9 or newer
 * @param managerUrls     stream manager base URLs the nodes register with; empty: nodes run standalone
 * @param joinToken       the cluster join token the nodes register with; null or empty: none. Passed to Terraform
 *                        only through its environment ({@code TF_VAR_join_token}), never written to a file
 * @param platforms       settings per platform, keyed by cloud name ({@code local}, {@code aws}...)
 * @param attempts        how many times init/plan/apply is tried before giving up (at least 1)
 * @param firstBackoff    the wait after the first failed attempt; doubles after each further one
 * @param maxBackoff      the longest wait between attempts
 * @param applyTimeout    the longest one attempt (init + apply + output) may run; then its Terraform process tree
 *                        is stopped and the call fails
 */
public record CloudSettings(Path workRoot, Path modulesDir, String terraformBinary, List<String> managerUrls,
                            String joinToken, Map<String, PlatformSettings> platforms, int attempts,
                            Duration firstBackoff, Duration maxBackoff, Duration applyTimeout) {
    public CloudSettings {
        managerUrls = managerUrls == null ? List.of() : List.copyOf(managerUrls);
        platforms = platforms == null ? Map.of() : Map.copyOf(platforms);
        joinToken = joinToken == null ? "" : joinToken;
        terraformBinary = terraformBinary == null || terraformBinary.isBlank() ? "terraform" : terraformBinary;
        firstBackoff = firstBackoff == null ? Duration.ofSeconds(5) : firstBackoff;
        maxBackoff = maxBackoff == null ? Duration.ofMinutes(2) : maxBackoff;
        applyTimeout = applyTimeout == null ? Duration.ofMinutes(30) : applyTimeout;
    }

    /** The defaults: terraform from PATH, no stream manager, 3 attempts 5 s apart doubling up to 2 min, 30 min per attempt. */
    public static CloudSettings of(Path workRoot, Path modulesDir, Map<String, PlatformSettings> platforms) {
        return new CloudSettings(workRoot, modulesDir, "terraform", List.of(), "", platforms, 3,
                Duration.ofSeconds(5), Duration.ofMinutes(2), Duration.ofMinutes(30));
    }

    public CloudSettings withManager(List<String> urls, String token) {
        return new CloudSettings(workRoot, modulesDir, terraformBinary, urls, token, platforms, attempts,
                firstBackoff, maxBackoff, applyTimeout);
    }

    public CloudSettings withRetries(int attempts, Duration firstBackoff, Duration maxBackoff) {
        return new CloudSettings(workRoot, modulesDir, terraformBinary, managerUrls, joinToken, platforms, attempts,
                firstBackoff, maxBackoff, applyTimeout);
    }

    public CloudSettings withApplyTimeout(Duration timeout) {
        return new CloudSettings(workRoot, modulesDir, terraformBinary, managerUrls, joinToken, platforms, attempts,
                firstBackoff, maxBackoff, timeout);
    }

    public CloudSettings withTerraform(String binary) {
        return new CloudSettings(workRoot, modulesDir, binary, managerUrls, joinToken, platforms, attempts,
                firstBackoff, maxBackoff, applyTimeout);
    }

    /** Never prints the join token. */
    @Override
    public String toString() {
        return "CloudSettings[workRoot=" + workRoot + ", modulesDir=" + modulesDir + ", terraformBinary="
                + terraformBinary + ", managerUrls=" + managerUrls + ", joinToken=" + (joinToken.isEmpty() ? "" : "***")
                + ", platforms=" + platforms.keySet() + ", attempts=" + attempts + ", firstBackoff=" + firstBackoff
                + ", maxBackoff=" + maxBackoff + ", applyTimeout=" + applyTimeout + "]";
    }
}
