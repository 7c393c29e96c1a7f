package dev.cascade.manager.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cascade.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagerConfigTest {
    private static final Map<String, String> SECRETS = Map.of("security.joinToken", "j".repeat(16),
            "security.adminKey", "a".repeat(16));

    @Test
    void shippedDefaultsFollowTheArchitecture() {
        ManagerConfig c = ManagerConfig.loader().load(null, Map.of(), SECRETS);
        assertThat(c.http().port()).isEqualTo(8080);
        assertThat(c.cluster().backupCount()).isEqualTo(1);
        assertThat(c.placement().balanceFactor()).isEqualTo(1.25);
        assertThat(c.placement().crossRegion()).isTrue();
        assertThat(c.cluster().memberList()).containsExactly("127.0.0.1:5701");
    }

    @Test
    void secretsAreRequired() {
        assertThatThrownBy(() -> ManagerConfig.loader().load(null, Map.of(), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("security.joinToken"));
    }

    @Test
    void decimalsBooleansAndTheEnvironmentPrefix() {
        ManagerConfig c = ManagerConfig.loader().load(null,
                Map.of("CASCADE_SM_HTTP_PORT", "8081", "CASCADE_MANAGER_URLS", "x", "CASCADE_HTTP_PORT", "1"),
                Map.of("placement.balanceFactor", "1.5", "placement.crossRegion", "false",
                        "security.joinToken", "j".repeat(16), "security.adminKey", "a".repeat(16)));
        assertThat(c.http().port()).isEqualTo(8081);
        assertThat(c.placement().balanceFactor()).isEqualTo(1.5);
        assertThat(c.placement().crossRegion()).isFalse();
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> ManagerConfig.loader().load(null, Map.of(), with("placement.balanceFactor", "1.0")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("placement.balanceFactor"));
        assertThatThrownBy(() -> ManagerConfig.loader().load(null, Map.of(), with("placement.crossRegion", "yes")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("placement.crossRegion"));
        assertThatThrownBy(() -> ManagerConfig.loader().load(null, Map.of(), with("cluster.members", "host-without-port")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("cluster.members"));
        assertThatThrownBy(() -> ManagerConfig.loader().load(null, Map.of(), with("nodes.heartbeatTimeoutMs", "1000")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("nodes.heartbeatTimeoutMs"));
    }

    private static Map<String, String> with(String k, String v) {
        var m = new java.util.HashMap<>(SECRETS);
        m.put(k, v);
        return m;
    }
}
