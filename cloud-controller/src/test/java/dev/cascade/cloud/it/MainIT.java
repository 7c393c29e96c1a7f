package dev.cascade.cloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it (a separate JVM), with the real terraform and the failing module's harmless nodes. */
class MainIT {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run cli(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.cascade.cloud.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), out, Files.readString(dir.resolve("err.txt")));
    }

    @Test
    void applyPrintsProgressAndTheNodesThenDestroy() throws Exception {
        Path desired = dir.resolve("desired.json");
        Files.writeString(desired, """
                {"name": "cli", "cloud": "local",
                 "nodes": [{"id": "n-2", "role": "relay", "region": "local"}, {"id": "n-1", "role": "edge", "region": "local"}],
                 "settings": {"platforms": {"local": {"image": "unused", "moduleVariables": {"fail_ids": "bad"}}},
                              "attempts": 1, "terraform": "%s"}}
                """.formatted(ItSupport.terraform()));
        String[] common = {"-f", desired.toString(), "--work-root", dir.resolve("work").toString(),
                "--modules", ItSupport.failingModulesDir().toString()};

        Run apply = cli(concat("apply", common));
        assertThat(apply.code()).as(apply.err()).isZero();
        JsonNode result = new ObjectMapper().readTree(apply.out());
        assertThat(result.path("nodes").findValuesAsText("id")).containsExactly("n-1", "n-2");
        assertThat(result.path("nodes").get(1).path("role").asText()).isEqualTo("relay");
        assertThat(result.path("attempts").asInt()).isEqualTo(1);
        assertThat(apply.err()).contains("[synth] wrote").contains("[init] terraform init")
                .contains("[plan] Plan: 2 to add, 0 to change, 0 to destroy.")
                .contains("[apply] Apply complete! Resources: 2 added, 0 changed, 0 destroyed.")
                .contains("[output] 2 node(s): [n-1, n-2]");

        Files.writeString(desired, Files.readString(desired).replace("\"id\": \"n-2\"", "\"id\": \"bad\""));
        Run failed = cli(concat("apply", common));
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.err()).contains("cli/local: apply failed (exit 1)").contains("cascade-test: node bad refused to start");

        Run destroy = cli(concat("destroy", common));
        assertThat(destroy.code()).as(destroy.err()).isZero();
        assertThat(new ObjectMapper().readTree(destroy.out()).path("destroyed").asBoolean()).isTrue();
        assertThat(destroy.err()).contains("[destroy] destroyed");
        try (var files = Files.list(dir.resolve("work/cli/local"))) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".node"));
        }
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
