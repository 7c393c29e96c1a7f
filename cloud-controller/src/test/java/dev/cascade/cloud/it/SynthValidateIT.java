package dev.cascade.cloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.cloud.CloudController;
import dev.cascade.cloud.CloudSettings;
import dev.cascade.cloud.Deployment;
import dev.cascade.cloud.NodeSpec;
import dev.cascade.cloud.PlatformSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The synthesized root configuration over the REAL modules in terraform/modules, checked by
 * {@code terraform validate} wherever the cloud's provider is available offline: always for
 * {@code local} (no provider), and for a cloud whose provider is in a filesystem mirror
 * ({@code -Dcascade.tf.plugins}, default /opt/tf-plugins: these machines carry hashicorp/aws there).
 * Clouds without their provider here are covered by the reviewed golden files instead
 * ({@code RootSynthesisGoldenTest}).
 */
class SynthValidateIT {
    static final Path MODULES = Path.of(System.getProperty("cascade.modules.dir")).toAbsolutePath().normalize();
    static final Path PLUGINS = Path.of(System.getProperty("cascade.tf.plugins", "/opt/tf-plugins"));
    static final Map<String, String> PROVIDERS = Map.of("aws", "hashicorp/aws", "gcp", "hashicorp/google",
            "azure", "hashicorp/azurerm", "digitalocean", "digitalocean/digitalocean", "linode", "linode/linode",
            "openstack", "terraform-provider-openstack/openstack");

    @TempDir
    Path work;

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws", "gcp", "azure", "digitalocean", "linode", "openstack"})
    void terraformValidatesTheRootConfigurationWhereTheProviderIsAvailable(String cloud) throws Exception {
        boolean offline = cloud.equals("local")
                || Files.isDirectory(PLUGINS.resolve("registry.terraform.io").resolve(PROVIDERS.get(cloud)));
        Assumptions.assumeTrue(offline, "no " + cloud + " provider under " + PLUGINS + ": the golden file checks it");
        Map<String, String> vars = switch (cloud) {
            case "local" -> Map.of("state_dir", work.resolve("nodes").toString());
            case "azure" -> Map.of("admin_ssh_public_key", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBc ops");
            case "openstack" -> Map.of("network_name", "public");
            default -> Map.of();
        };
        String region = switch (cloud) {
            case "gcp" -> "us-east1";
            case "azure" -> "eastus";
            case "digitalocean" -> "nyc3";
            case "linode" -> "us-east";
            default -> "us-east-1";
        };
        PlatformSettings p = new PlatformSettings(cloud.equals("local") ? "java -cp '/opt/cascade/lib/*' dev.cascade.node.Main"
                : "debian-12", Map.of(), vars, Map.of());
        CloudSettings s = new CloudSettings(work, MODULES, "terraform", List.of("http://127.0.0.1:8080"),
                "join-token-0123456789abcdef", Map.of(cloud, p), 1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(2));
        Path dir = new CloudController(s).synthesize(new Deployment("grp", cloud, List.of(
                new NodeSpec("edge-1", "edge", region, ""), new NodeSpec("origin-1", "origin", region, "",
                        Map.of("CASCADE_NODE_CAPACITY_MAX_PUBLISHERS", "10")))));
        run(dir, "terraform", "init", "-backend=false", "-input=false", "-no-color",
                cloud.equals("local") ? "-get=true" : "-plugin-dir=" + PLUGINS);
        String out = run(dir, "terraform", "validate", "-json", "-no-color");
        JsonNode v = new ObjectMapper().readTree(out);
        assertThat(v.path("valid").asBoolean()).as(out).isTrue();
        assertThat(v.path("error_count").asInt()).as(out).isZero();
    }

    @org.junit.jupiter.api.Test
    void everyModuleIsTerraformFmtClean() throws Exception {
        Path terraform = MODULES.getParent();
        String out = run(terraform, "terraform", "fmt", "-check", "-recursive", "-list=true", ".");
        assertThat(out).as("files terraform fmt would change").isEmpty();
        try (var files = Files.list(MODULES)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly("aws", "azure", "digitalocean", "gcp", "linode", "local", "openstack");
        }
    }

    private static String run(Path dir, String... cmd) throws Exception {
        Path err = Files.createTempFile("terraform", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(err.toFile());
        pb.environment().put("CHECKPOINT_DISABLE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out + Files.readString(err)).isZero();
        return out;
    }
}
