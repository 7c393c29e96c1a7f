package dev.cascade.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad deployments and settings are refused up front, with a message naming what is wrong, and nothing is written. */
class DeploymentValidationTest {
    @TempDir
    Path workRoot;

    private CloudController controller() {
        return new CloudController(Fixtures.settings(workRoot));
    }

    private static Deployment local(NodeSpec... nodes) {
        return new Deployment("events", "local", List.of(nodes));
    }

    @Test
    void unknownCloud() {
        assertThatThrownBy(() -> controller().synthesize(new Deployment("events", "hetzner", List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown cloud 'hetzner' (one of local, aws, gcp, azure, digitalocean, linode, openstack)");
        assertThatThrownBy(() -> controller().synthesize(new Deployment("events", "AWS", List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown cloud 'AWS'");
    }

    @Test
    void missingModuleDir() {
        CloudSettings s = Fixtures.settings(workRoot);
        CloudController c = new CloudController(new CloudSettings(workRoot, workRoot.resolve("nowhere"),
                "terraform", List.of(), "", s.platforms(), 1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)));
        assertThatThrownBy(() -> c.synthesize(local()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("missing module dir for cloud 'local': " + workRoot.resolve("nowhere/local"));
    }

    @Test
    void badNodeIds() {
        for (String id : List.of("", "has space", "semi;colon", "x".repeat(65), "quote'")) {
            assertThatThrownBy(() -> controller().synthesize(local(new NodeSpec(id, "edge", "local", null))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("bad node id '" + id + "': must match [A-Za-z0-9_.-]{1,64}");
        }
        assertThatThrownBy(() -> controller().synthesize(local(new NodeSpec(null, "edge", "local", null))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("bad node id 'null'");
    }

    @Test
    void duplicateIds() {
        assertThatThrownBy(() -> controller().synthesize(local(new NodeSpec("e1", "edge", "local", null),
                new NodeSpec("e1", "relay", "local", null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("duplicate node id 'e1' in deployment events");
    }

    @Test
    void missingImage() {
        Map<String, PlatformSettings> platforms = new HashMap<>(Fixtures.platforms());
        platforms.put("gcp", new PlatformSettings(" ", Map.of(), Map.of(), Map.of()));
        platforms.remove("local");
        CloudSettings s = Fixtures.settings(workRoot);
        CloudController c = new CloudController(new CloudSettings(workRoot, s.modulesDir(), "terraform", List.of(), "",
                platforms, 1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)));
        assertThatThrownBy(() -> c.synthesize(new Deployment("events", "gcp", List.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing image for platform 'gcp': set platforms.gcp.image");
        assertThatThrownBy(() -> c.synthesize(local()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing image for platform 'local': set platforms.local.image"
                        + " (the command line that starts a node)");
    }

    @Test
    void otherBadInput() {
        assertThatThrownBy(() -> controller().synthesize(new Deployment("Events_1", "local", List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("deployment name 'Events_1' must match");
        assertThatThrownBy(() -> controller().synthesize(local(new NodeSpec("e1", "proxy", "local", null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node e1: role 'proxy' must be origin, relay, edge or transcoder");
        assertThatThrownBy(() -> controller().synthesize(local(new NodeSpec("e1", "edge", "US_East", null))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node e1: region 'US_East' must match [a-z0-9-]{1,64}");
        assertThatThrownBy(() -> controller().synthesize(local(new NodeSpec("e1", "edge", "local", "small"),
                new NodeSpec("e2", "edge", "local", "large"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("nodes of role edge in local ask for different sizes [large, small]: one (role, region) has one size");
        assertThatThrownBy(() -> new CloudController(Fixtures.settings(workRoot).withRetries(0, Duration.ZERO, Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("attempts must be >= 1, was 0");
        assertThatThrownBy(() -> new CloudController(Fixtures.settings(workRoot).withManager(List.of("manager:8080"), "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("manager URL 'manager:8080' must be an http:// or https:// base URL");
    }

    @Test
    void platformSettingsMayNotSetWhatTheControllerSets() {
        Map<String, PlatformSettings> platforms = new HashMap<>(Fixtures.platforms());
        platforms.put("local", new PlatformSettings("node", Map.of(), Map.of("nodes", "x"), Map.of()));
        platforms.put("aws", new PlatformSettings("ami-1", Map.of("region", "us-east-1"), Map.of(), Map.of()));
        platforms.put("gcp", new PlatformSettings("img", Map.of(), Map.of(), Map.of("SRT_LATENCY", "1")));
        CloudSettings s = Fixtures.settings(workRoot);
        CloudController c = new CloudController(new CloudSettings(workRoot, s.modulesDir(), "terraform", List.of(), "",
                platforms, 1, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1)));
        assertThatThrownBy(() -> c.synthesize(local()))
                .hasMessage("platforms.local.moduleVariables must not set 'nodes': the controller sets it");
        assertThatThrownBy(() -> c.synthesize(new Deployment("events", "aws", List.of())))
                .hasMessage("platforms.aws.providerConfig must not set 'region': the controller sets it per region");
        assertThatThrownBy(() -> c.synthesize(new Deployment("events", "gcp", List.of())))
                .hasMessage("platforms.gcp.nodeConfig: 'SRT_LATENCY' must match CASCADE_[A-Z0-9_]+ with a one-line value");
    }

    @Test
    void nothingIsWrittenForARefusedDeployment() throws Exception {
        try {
            controller().apply(local(new NodeSpec("bad id", "edge", "local", null)), Progress.NONE);
        } catch (IllegalArgumentException expected) {
            // refused
        }
        try (var files = Files.list(workRoot)) {
            assertThat(files).isEmpty();
        }
    }
}
