package dev.cascade.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI without Terraform: synth, bad input, and how the file's settings are read. */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return new CommandLine(new Main(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env)).execute(args);
    }

    private Path desired(String json) throws Exception {
        Path f = dir.resolve("desired.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void synthWritesTheRootConfigurationAndPrintsWhere() throws Exception {
        Path f = desired("""
                {"name": "events", "cloud": "local",
                 "nodes": [{"id": "edge-1", "role": "edge", "region": "local"}],
                 "settings": {"platforms": {"local": {"image": "node-command"}}, "attempts": 2, "firstBackoff": "250ms"}}
                """);
        int code = run(Map.of(), "synth", "--file", f.toString(), "--work-root", dir.resolve("work").toString(),
                "--modules", Fixtures.STUB_MODULES.toString());

        assertThat(code).as(err.toString()).isZero();
        JsonNode result = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        Path workDir = dir.resolve("work/events/local").toAbsolutePath();
        assertThat(result.path("directory").asText()).isEqualTo(workDir.toString());
        JsonNode root = new ObjectMapper().readTree(workDir.resolve("cdk.tf.json").toFile());
        assertThat(root.path("module").path("edge_local").path("nodes").get(0).asText()).isEqualTo("edge-1");
        assertThat(root.path("module").path("edge_local").path("image").asText()).isEqualTo("node-command");
    }

    @Test
    void badInputExitsWith2AndSaysWhy() throws Exception {
        Path unknownKey = desired("{\"name\": \"events\", \"cloud\": \"local\", \"colour\": \"blue\"}");
        assertThat(run(Map.of(), "apply", "-f", unknownKey.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read").contains("colour");

        err.reset();
        Path badCloud = desired("{\"name\": \"events\", \"cloud\": \"mars\", \"settings\": {\"modulesDir\": \""
                + Fixtures.STUB_MODULES + "\"}}");
        assertThat(run(Map.of(), "apply", "-f", badCloud.toString(), "--work-root", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown cloud 'mars'");

        err.reset();
        Path ok = desired("{\"name\": \"events\", \"cloud\": \"local\", \"settings\": {\"platforms\": {\"local\": {\"image\": \"x\"}}}}");
        assertThat(run(Map.of(), "plan", "-f", ok.toString(), "--modules", Fixtures.STUB_MODULES.toString(),
                "--work-root", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown command 'plan'");
    }

    @Test
    void settingsComeFromTheFileTheOptionsAndTheEnvironment() throws Exception {
        DesiredFile d = DesiredFile.read(desired("""
                {"name": "events", "cloud": "aws", "settings": {
                  "workRoot": "/var/lib/cascade/cloud", "managerUrls": ["http://10.0.0.1:8080"],
                  "platforms": {"aws": {"image": "ami-1", "providerConfig": {"profile": "p"}}},
                  "attempts": 5, "firstBackoff": "2s", "maxBackoff": "PT1M", "applyTimeout": "45m"}}
                """));
        CloudSettings s = d.cloudSettings(null, Path.of("/opt/modules"), null, Map.of("CASCADE_MANAGER_JOIN_TOKEN", "t0k"));

        assertThat(s.workRoot()).isEqualTo(Path.of("/var/lib/cascade/cloud"));
        assertThat(s.modulesDir()).isEqualTo(Path.of("/opt/modules"));
        assertThat(s.terraformBinary()).isEqualTo("terraform");
        assertThat(s.joinToken()).isEqualTo("t0k");
        assertThat(s.toString()).doesNotContain("t0k");
        assertThat(s.attempts()).isEqualTo(5);
        assertThat(s.firstBackoff()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(s.applyTimeout()).isEqualTo(Duration.ofMinutes(45));
        assertThat(s.platforms().get("aws").providerConfig()).containsEntry("profile", "p");
        assertThat(s.managerUrls()).containsExactly("http://10.0.0.1:8080");
    }
}
