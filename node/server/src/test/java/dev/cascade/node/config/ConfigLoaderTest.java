package dev.cascade.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cascade.config.ConfigException;
import dev.cascade.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader<NodeConfig> loader = NodeConfig.loader();

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
    @Test
    void managerAndClusterKeysDefaultToStandalone() {
        NodeConfig c = loader.load(null, Map.of(), Map.of());
        assertThat(c.node().cloud()).isEqualTo("local");
        assertThat(c.node().group()).isEmpty();
        assertThat(c.node().publicHost()).isEqualTo("127.0.0.1");
        assertThat(c.node().capacity()).isEqualTo(new NodeConfig.Capacity(0, 0, 0));
        assertThat(c.managed()).isFalse();
        assertThat(c.managerUrls()).isEmpty();
        assertThat(c.manager().joinToken()).isEmpty();
        assertThat(c.manager().requestTimeoutMs()).isEqualTo(2000);
        assertThat(c.manager().retryMs()).isEqualTo(1000);
    }

    @Test
    void managerKeysComeFromFileEnvAndCommandLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("n.yaml");
        Files.writeString(file, "node:\n  role: edge\n  capacity:\n    maxSubscribers: 2000\n    maxMbpsOut: 900\n"
                + "manager:\n  urls: \"http://10.0.0.5:8080, http://10.0.0.6:8080/\"\n");
        NodeConfig c = loader.load(file, Map.of("CASCADE_MANAGER_JOIN_TOKEN", "abc.DEF-123", "CASCADE_NODE_PUBLIC_HOST", "edge1.example.net",
                "CASCADE_NODE_CAPACITY_MAX_PUBLISHERS", "3"), Map.of("node.group", "event-1", "manager.retryMs", "500"));
        assertThat(c.managed()).isTrue();
        assertThat(c.managerUrls()).containsExactly("http://10.0.0.5:8080", "http://10.0.0.6:8080");
        assertThat(c.manager().joinToken()).isEqualTo("abc.DEF-123");
        assertThat(c.node().publicHost()).isEqualTo("edge1.example.net");
        assertThat(c.node().capacity()).isEqualTo(new NodeConfig.Capacity(2000, 3, 900));
        assertThat(c.node().group()).isEqualTo("event-1");
        assertThat(c.manager().retryMs()).isEqualTo(500);
        assertThat(c.redacted().manager().joinToken()).doesNotContain("abc");
    }

    private static Map<String, String> managed(String... more) {
        Map<String, String> m = new java.util.HashMap<>(Map.of("manager.urls", "http://127.0.0.1:8080", "manager.joinToken", "t0k"));
        for (int i = 0; i < more.length; i += 2) {
            m.put(more[i], more[i + 1]);
        }
        return m;
    }

    private void assertRefused(Map<String, String> sets, String key, String message) {
        assertThatThrownBy(() -> loader.load(null, Map.of(), sets))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageContaining(message);
    }

    @Test
    void badManagerSettingsAreNamed() {
        assertThat(loader.load(null, Map.of(), managed()).managed()).isTrue();
        assertRefused(managed("manager.urls", "127.0.0.1:8080"), "manager.urls", "not a base URL");
        assertRefused(managed("manager.urls", "ftp://m:21"), "manager.urls", "not a base URL");
        assertRefused(managed("manager.urls", "http://m:8080/api/v1"), "manager.urls", "without /api/v1");
        assertRefused(managed("manager.urls", " , "), "manager.urls", "lists no URL");
        assertRefused(managed("manager.joinToken", ""), "manager.joinToken", "must be set");
        assertRefused(managed("manager.joinToken", "two words"), "manager.joinToken", "bearer token");
        assertRefused(managed("manager.requestTimeoutMs", "10"), "manager.requestTimeoutMs", "between 100 and 60000");
        assertRefused(managed("manager.retryMs", "0"), "manager.retryMs", "between 100");
        assertRefused(managed("node.region", "EU West"), "node.region", "[a-z0-9-]{1,64}");
        assertRefused(managed("node.id", "edge 1"), "node.id", "[A-Za-z0-9_.-]{1,64}");
    }

    @Test
    void badClusterKeysAreNamedEvenStandalone() {
        assertRefused(Map.of("node.group", "Big Group"), "node.group", "[a-z0-9][a-z0-9-]{0,62}");
        assertRefused(Map.of("node.cloud", ""), "node.cloud", "[a-z0-9-]{1,64}");
        assertRefused(Map.of("node.publicHost", "0.0.0.0"), "node.publicHost", "can reach");
        assertRefused(Map.of("node.publicHost", "http://x"), "node.publicHost", "can reach");
        assertRefused(Map.of("node.capacity.maxSubscribers", "-1"), "node.capacity.maxSubscribers", "between 0");
        assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("node.capacity", "5")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("node.capacity"));
        // A standalone node keeps accepting the ids and regions it always did.
        assertThat(loader.load(null, Map.of(), Map.of("node.region", "EU West")).node().region()).isEqualTo("EU West");
    }

    @Test
    void aTranscoderHasNoSrtPortItsOwnHttpPortAndItsJobSettings() {
        NodeConfig t = loader.load(null, Map.of("CASCADE_TRANSCODER_MAX_JOBS", "2"),
                managed("node.role", "transcoder", "srt.port", "9999"));
        assertThat(t.node().role()).isEqualTo(NodeRole.TRANSCODER);
        assertThat(t.srtPort()).as("it listens on no SRT port, whatever srt.port says").isZero();
        assertThat(t.httpPort()).isEqualTo(8200);
        assertThat(t.webrtcPort()).isEqualTo(-1);
        assertThat(t.upstreamPort()).isEqualTo(-1);
        assertThat(t.nodeId()).isEqualTo("transcoder-8200");
        assertThat(t.transcoder()).isEqualTo(new NodeConfig.Transcoder(1000, 64, 2));
        // the shipped defaults, for every role
        assertThat(loader.load(null, Map.of(), Map.of()).transcoder()).isEqualTo(new NodeConfig.Transcoder(1000, 64, 4));
    }

    @Test
    void badTranscoderSettingsAreNamed() {
        assertRefused(Map.of("node.role", "transcoder"), "manager.urls", "a transcoder takes its jobs from the stream manager");
        assertRefused(managed("node.role", "transcoder", "transcoder.maxJobs", "0"), "transcoder.maxJobs", "between 1 and 64");
        assertRefused(managed("transcoder.gopMs", "50"), "transcoder.gopMs", "between 200 and 10000");
        assertRefused(managed("transcoder.audioKbps", "1000"), "transcoder.audioKbps", "between 16 and 256");
    }
}
