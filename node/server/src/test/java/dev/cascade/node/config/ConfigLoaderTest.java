package dev.cascade.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader();

    @Test
    void shippedDefaultsAreValidAndMatchArchitectureDefaults() {
        NodeConfig c = loader.load(null, Map.of(), Map.of());
        assertThat(c.node().role()).isEqualTo(NodeRole.ORIGIN);
        assertThat(c.srtPort()).isEqualTo(9000);
        assertThat(c.httpPort()).isEqualTo(8100);
        assertThat(c.srt().latencyMs()).isEqualTo(120);
        assertThat(c.upstreamPort()).isEqualTo(-1);
    }

    @Test
    void roleDefaultsFollowArchitectureSection9() {
        NodeConfig relay = loader.load(null, Map.of(), Map.of("node.role", "relay"));
        assertThat(relay.srtPort()).isEqualTo(9050);
        assertThat(relay.httpPort()).isEqualTo(8150);
        assertThat(relay.upstreamPort()).isEqualTo(9000);
        NodeConfig edge = loader.load(null, Map.of(), Map.of("node.role", "edge"));
        assertThat(edge.srtPort()).isEqualTo(9100);
        assertThat(edge.httpPort()).isEqualTo(8180);
        assertThat(edge.upstreamPort()).isEqualTo(9050);
        assertThat(edge.nodeId()).isEqualTo("edge-9100");
    }

    @Test
    void layersApplyInOrderFileThenEnvThenCommandLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("n.yaml");
        Files.writeString(file, "srt:\n  latencyMs: 200\n  port: 9999\nnode:\n  role: edge\n");
        NodeConfig c = loader.load(file, Map.of("CASCADE_SRT_LATENCY_MS", "300", "CASCADE_ADMIN_KEY", "x", "PATH", "/bin"),
                Map.of("srt.port", "9998"));
        assertThat(c.srt().latencyMs()).isEqualTo(300);
        assertThat(c.srtPort()).isEqualTo(9998);
        assertThat(c.node().role()).isEqualTo(NodeRole.EDGE);
    }

    @Test
    void envNamesMapOntoCamelCaseKeys() {
        NodeConfig c = loader.load(null, Map.of("CASCADE_UPSTREAM_PULL_TIMEOUT_MS", "1500", "CASCADE_NODE_ROLE", "relay"), Map.of());
        assertThat(c.upstream().pullTimeoutMs()).isEqualTo(1500);
        assertThat(c.node().role()).isEqualTo(NodeRole.RELAY);
    }

    @Test
    void unknownKeyInFileIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("n.yaml");
        Files.writeString(file, "srt:\n  latency: 200\n");
        assertThatThrownBy(() -> loader.load(file, Map.of(), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("srt.latency"))
                .hasMessageContaining("unknown key");
    }

    @Test
    void wrongTypeIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("n.yaml");
        Files.writeString(file, "srt:\n  latencyMs: fast\n");
        assertThatThrownBy(() -> loader.load(file, Map.of(), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("srt.latencyMs"));
    }

    @Test
    void outOfRangeValueIsNamed() {
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("srt.latencyMs", "-5")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("srt.latencyMs"))
                .hasMessageContaining("between 0 and 60000");
    }

    @Test
    void badRoleIsNamed() {
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("node.role", "proxy")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("node.role"))
                .hasMessageContaining("origin, relay, edge");
    }

    @Test
    void badEnvKeyUnderKnownSectionIsNamed() {
        assertThatThrownBy(() -> loader.load(null, Map.of("CASCADE_SRT_LATENCYY", "1"), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("CASCADE_SRT_LATENCYY"));
    }

    @Test
    void nonNumericOverrideIsNamed() {
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("srt.port", "ninety")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("srt.port"));
    }

    @Test
    void samePortForSrtAndHttpIsRefused() {
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("srt.port", "8100")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("http.port"));
    }
}
