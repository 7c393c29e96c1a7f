package dev.cascade.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.cloud.testing.Golden;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The root configuration of one fixed deployment per cloud, against reviewed golden files
 * ({@code src/test/resources/golden/<cloud>.tf.json}; absolute paths replaced by {@code ${MODULES}} and
 * {@code ${WORK_ROOT}}).
 */
class RootSynthesisGoldenTest {
    @TempDir
    Path workRoot;

    @ParameterizedTest
    @ValueSource(strings = {"local", "aws", "gcp", "azure", "digitalocean", "linode", "openstack"})
    void rootConfigurationMatchesGolden(String cloud) throws Exception {
        CloudController controller = new CloudController(Fixtures.settings(workRoot));
        Path dir = controller.synthesize(Fixtures.deployment(cloud));

        assertThat(dir).isEqualTo(workRoot.toAbsolutePath().resolve("events").resolve(cloud));
        String json = Files.readString(dir.resolve("cdk.tf.json"), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain(Fixtures.TOKEN);
        Golden.assertMatches(cloud + ".tf.json", normalize(json, dir));
    }

    private String normalize(String json, Path dir) {
        String relative = dir.toAbsolutePath().relativize(Fixtures.STUB_MODULES).toString();
        return json.replace(relative, "${MODULES}").replace(Fixtures.STUB_MODULES.toString(), "${MODULES}")
                .replace(workRoot.toAbsolutePath().toString(), "${WORK_ROOT}");
    }
}
