package dev.cascade.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What synthesis does to a working directory that already holds state, and the small pure parts of the controller. */
class WorkDirTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workRoot;

    /** A state as Terraform writes it, holding nodes in module relay_eu_west_1 and edge_us_east_1. */
    private static String state() {
        return """
                {"version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "x", "outputs": {},
                 "resources": [
                  {"module": "module.relay_eu_west_1", "mode": "managed", "type": "aws_instance", "name": "node",
                   "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"].eu_west_1",
                   "instances": [{"index_key": "relay-9", "attributes": {}}]},
                  {"module": "module.edge_us_east_1", "mode": "managed", "type": "aws_instance", "name": "node",
                   "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"].us_east_1",
                   "instances": [{"index_key": "edge-1", "attributes": {}}]},
                  {"module": "module.origin_ap_south_1", "mode": "data", "type": "aws_ami", "name": "debian",
                   "provider": "provider[\\"registry.terraform.io/hashicorp/aws\\"].ap_south_1",
                   "instances": [{"attributes": {}}]}
                 ]}
                """;
    }

    @Test
    void synthesisKeepsStateAndInstalledModulesAndNeverWritesTheToken() throws Exception {
        CloudController c = new CloudController(Fixtures.settings(workRoot));
        Path dir = c.workDir("events", "local");
        Files.createDirectories(dir.resolve(".terraform/modules"));
        Files.writeString(dir.resolve(".terraform/modules/modules.json"), "{}");
        Files.writeString(dir.resolve("terraform.tfstate"), "{\"version\": 4, \"resources\": []}");
        Files.writeString(dir.resolve("terraform.tfstate.backup"), "{}");

        c.synthesize(Fixtures.deployment("local"));
        c.synthesize(new Deployment("events", "local", List.of()));

        assertThat(dir.resolve(".terraform/modules/modules.json")).hasContent("{}");
        assertThat(dir.resolve("terraform.tfstate")).hasContent("{\"version\": 4, \"resources\": []}");
        assertThat(dir.resolve("terraform.tfstate.backup")).exists();
        try (Stream<Path> files = Files.walk(workRoot)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(Fixtures.TOKEN);
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tf.json") || n.endsWith(".tmp")))
                    .containsExactly("cdk.tf.json");
        }
    }

    @Test
    void groupsLeftOnlyInTheStateAreKeptWithNoNodesAndTheirProviderAlias() throws Exception {
        CloudController c = new CloudController(Fixtures.settings(workRoot));
        Path dir = c.workDir("events", "aws");
        Files.createDirectories(dir);
        // edge_us_east_1 was applied with size "small" (recorded); relay_eu_west_1 has no record.
        Files.writeString(dir.resolve(WorkDir.GROUPS), "{\"edge_us_east_1\": {\"role\": \"edge\", \"region\": \"us-east-1\", \"size\": \"small\"}}");
        Files.writeString(dir.resolve("terraform.tfstate"), state());

        c.synthesize(new Deployment("events", "aws", List.of(new NodeSpec("origin-1", "origin", "us-east-1", "large"))));

        JsonNode root = JSON.readTree(dir.resolve("cdk.tf.json").toFile());
        JsonNode modules = root.path("module");
        assertThat(modules.fieldNames()).toIterable()
                .containsExactly("edge_us_east_1", "origin_us_east_1", "relay_eu_west_1");
        assertThat(modules.path("edge_us_east_1").path("nodes")).isEmpty();
        assertThat(modules.path("edge_us_east_1").path("size").asText()).isEqualTo("small");
        assertThat(modules.path("relay_eu_west_1").path("nodes")).isEmpty();
        assertThat(modules.path("relay_eu_west_1").path("role").asText()).isEqualTo("relay");
        assertThat(modules.path("relay_eu_west_1").path("region").asText()).isEqualTo("eu-west-1");
        assertThat(modules.path("relay_eu_west_1").path("providers").path("aws").asText()).isEqualTo("aws.eu_west_1");
        assertThat(modules.path("origin_us_east_1").path("nodes").get(0).asText()).isEqualTo("origin-1");
        assertThat(root.path("provider").path("aws").findValuesAsText("alias")).containsExactly("eu_west_1", "us_east_1");
        assertThat(root.path("output").fieldNames()).toIterable().containsExactly(
                "nodes_edge_us_east_1", "nodes_origin_us_east_1", "nodes_relay_eu_west_1");
        // A data source alone does not keep a group.
        assertThat(modules.has("origin_ap_south_1")).isFalse();
    }

    @Test
    void anEmptyDeploymentWithNoStateHasNoModulesAndNoProvider() throws Exception {
        CloudController c = new CloudController(Fixtures.settings(workRoot));
        Path dir = c.synthesize(new Deployment("events", "aws", List.of()));
        JsonNode root = JSON.readTree(dir.resolve("cdk.tf.json").toFile());
        assertThat(root.has("module")).isFalse();
        assertThat(root.has("provider")).isFalse();
        assertThat(root.path("terraform").path("backend").path("local").path("path").asText()).isEqualTo("terraform.tfstate");
        assertThat(root.path("variable").path("join_token").path("sensitive").asBoolean()).isTrue();
    }

    @Test
    void aNewWorkingDirectoryIsTheOwnersOnly() throws Exception {
        Path dir = new CloudController(Fixtures.settings(workRoot)).synthesize(new Deployment("events", "gcp", List.of()));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
    }

    @Test
    void goldenDiffShowsWhatChanged() {
        String d = dev.cascade.cloud.testing.Golden.diff("a\nb\nc\n", "a\nB\nc\n");
        assertThat(d).contains("- b").contains("+ B").contains("  a");
    }

    @Test
    void backoffDoublesUpToTheCap() {
        CloudSettings s = Fixtures.settings(workRoot).withRetries(6, Duration.ofSeconds(1), Duration.ofSeconds(5));
        assertThat(List.of(1, 2, 3, 4, 5).stream().map(n -> CloudController.backoff(s, n).toMillis()).toList())
                .containsExactly(1000L, 2000L, 4000L, 5000L, 5000L);
    }

    @Test
    void outputsBecomeNodesSortedById() throws Exception {
        JsonNode outputs = JSON.readTree("""
                {"nodes_edge_local": {"sensitive": false, "type": ["object", {}], "value": {
                   "e2": {"id": "e2", "role": "edge", "region": "local", "address": "127.0.0.1"},
                   "e1": {"id": "e1", "role": "edge", "region": "local", "address": "127.0.0.1"}}},
                 "nodes_origin_local": {"sensitive": false, "value": {}},
                 "something_else": {"value": {"x": {"id": "x"}}}}
                """);
        assertThat(CloudController.parseOutputs(outputs)).containsExactly(
                new NodeInstance("e1", "edge", "local", "127.0.0.1"),
                new NodeInstance("e2", "edge", "local", "127.0.0.1"));
    }

    @Test
    void theInitFingerprintChangesWithTheModuleSetOnly() throws Exception {
        CloudController c = new CloudController(Fixtures.settings(workRoot));
        var spec = DeploymentLayout.layout(Fixtures.deployment("local"), c.settings(), workRoot, java.util.Map.of());
        var fewerNodes = DeploymentLayout.layout(new Deployment("events", "local", List.of(
                new NodeSpec("edge-1", "edge", "us-east-1", "small"), new NodeSpec("origin-1", "origin", "us-east-1", null),
                new NodeSpec("edge-3", "edge", "eu-west-1", null))), c.settings(), workRoot, java.util.Map.of());
        var fewerModules = DeploymentLayout.layout(new Deployment("events", "local", List.of(
                new NodeSpec("edge-1", "edge", "us-east-1", "small"))), c.settings(), workRoot, java.util.Map.of());
        assertThat(c.initFingerprint(fewerNodes)).isEqualTo(c.initFingerprint(spec));
        assertThat(c.initFingerprint(fewerModules)).isNotEqualTo(c.initFingerprint(spec));
    }
}
