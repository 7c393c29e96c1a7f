package dev.cascade.cloud.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.cloud.testing.Golden;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Terraform's {@code -json} lines, recorded from terraform 1.11.4 runs against the failing test module
 * ({@code src/test/resources/terraform-json/*.jsonl}), turned into progress events and error reports; the results
 * are golden files ({@code golden/progress-*.txt}).
 */
class RunObserverTest {
    private static final Path RECORDED = Path.of("src/test/resources/terraform-json");

    @ParameterizedTest
    @ValueSource(strings = {"init", "apply-ok", "apply-failed", "config-error", "invalid-variable", "destroy"})
    void recordedRunMatchesGolden(String name) throws IOException {
        boolean init = name.equals("init");
        List<String> events = new ArrayList<>();
        RunObserver obs = init ? RunObserver.init((phase, m) -> events.add(phase + " | " + m))
                : RunObserver.apply(name.equals("destroy") ? "destroy" : "apply", (phase, m) -> events.add(phase + " | " + m));
        for (String line : Files.readAllLines(RECORDED.resolve(name + ".jsonl"), StandardCharsets.UTF_8)) {
            obs.line(line);
        }
        StringBuilder report = new StringBuilder("# events (phase | message)\n");
        events.forEach(e -> report.append(e).append('\n'));
        report.append("# final phase: ").append(obs.phase()).append('\n');
        report.append("# retryable: ").append(RetryRule.retryable(obs.phase(), false, obs.errors())).append('\n');
        report.append("# error report:\n").append(obs.errorReport()).append('\n');
        Golden.assertMatches("progress-" + name + ".txt", report.toString());
    }

    @Test
    void provisionerFailureIsAnApplyErrorWithItsMessageAndIsRetryable() throws IOException {
        RunObserver obs = RunObserver.apply("apply", (p, m) -> { });
        Files.readAllLines(RECORDED.resolve("apply-failed.jsonl")).forEach(obs::line);

        assertThat(obs.phase()).isEqualTo("apply");
        assertThat(obs.errors()).singleElement().satisfies(d -> {
            assertThat(d.summary()).isEqualTo("local-exec provisioner error");
            assertThat(d.detail()).contains("cascade-test: node e3 refused to start");
            assertThat(d.address()).isEqualTo("module.edge_local.terraform_data.node[\"e3\"]");
        });
        assertThat(obs.errorReport()).startsWith("Error: local-exec provisioner error")
                .contains("cascade-test: node e3 refused to start");
        assertThat(RetryRule.retryable(obs.phase(), false, obs.errors())).isTrue();
    }

    @Test
    void configurationErrorsArePlanFailuresThatAreNotRetried() throws IOException {
        for (String name : List.of("config-error", "invalid-variable")) {
            RunObserver obs = RunObserver.apply("apply", (p, m) -> { });
            Files.readAllLines(RECORDED.resolve(name + ".jsonl")).forEach(obs::line);
            assertThat(obs.phase()).as(name).isEqualTo("plan");
            assertThat(obs.errors()).as(name).isNotEmpty();
            assertThat(RetryRule.retryable(obs.phase(), false, obs.errors())).as(name).isFalse();
        }
    }

    @Test
    void nothingToChangeStillEndsInTheApplyPhase() {
        RunObserver obs = RunObserver.apply("apply", (p, m) -> { });
        obs.line("{\"@level\":\"info\",\"@message\":\"Apply complete! Resources: 0 added, 0 changed, 0 destroyed.\","
                + "\"changes\":{\"add\":0,\"change\":0,\"import\":0,\"remove\":0,\"operation\":\"apply\"},"
                + "\"type\":\"change_summary\"}");
        assertThat(obs.phase()).isEqualTo("apply");
    }

    @Test
    void textLinesAndCrashesAreKeptWhenThereIsNoDiagnostic() {
        List<String> events = new ArrayList<>();
        RunObserver obs = RunObserver.apply("apply", (p, m) -> events.add(m));
        obs.line("not json at all");
        obs.line("{\"truncated\":");
        obs.errorLine("There are some problems with the CLI configuration:");
        obs.errorLine("│ Warning: Unable to open CLI configuration file");
        obs.errorLine("panic: runtime error: invalid memory address");

        assertThat(events).containsExactly("not json at all", "{\"truncated\":");
        assertThat(obs.errorReport()).isEqualTo("not json at all\n{\"truncated\":\npanic: runtime error: invalid memory address");
        assertThat(RetryRule.retryable("apply", false, obs.errors())).isTrue();
    }

    @Test
    void timeoutsSynthesisAndInitNeedsFollowTheRule() {
        Diagnostic notInstalled = new Diagnostic("error", "Module not installed", "run terraform init", null, null);
        Diagnostic unsupported = new Diagnostic("error", "Unsupported argument", "", null, "cdk.tf.json:3");
        Diagnostic api = new Diagnostic("error", "creating EC2 Instance: RequestLimitExceeded", "", null, null);
        assertThat(RetryRule.retryable("apply", true, List.of())).isFalse();
        assertThat(RetryRule.retryable("synth", false, List.of())).isFalse();
        assertThat(RetryRule.retryable("init", false, List.of(notInstalled))).isTrue();
        assertThat(RetryRule.needsInit(List.of(notInstalled))).isTrue();
        assertThat(RetryRule.retryable("init", false, List.of(unsupported))).isFalse();
        assertThat(RetryRule.retryable("apply", false, List.of(api))).isTrue();
        assertThat(RetryRule.retryable("apply", false, List.of(api, unsupported))).isFalse();
    }
}
