package dev.cascade.cloud.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cascade.cloud.ApplyException;
import dev.cascade.cloud.ApplyResult;
import dev.cascade.cloud.CloudController;
import dev.cascade.cloud.Deployment;
import dev.cascade.cloud.NodeInstance;
import dev.cascade.cloud.NodeSpec;
import dev.cascade.cloud.PlatformSettings;
import dev.cascade.cloud.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures with the real terraform binary and the test-only failing module (src/test/resources/failing-modules/local:
 * its nodes are marker files; ids in fail_ids exit 1 with a message, ids in hang_ids sleep).
 */
class FailureIT {
    @TempDir
    Path workRoot;

    private CloudController controller(String failIds, String hangIds, int attempts, Duration timeout) {
        return new CloudController(ItSupport.settings(workRoot, ItSupport.failingModulesDir(),
                new PlatformSettings("unused", Map.of(), Map.of("fail_ids", failIds, "hang_ids", hangIds), Map.of()),
                attempts, timeout));
    }

    private static Deployment local(String name, String... ids) {
        return new Deployment(name, "local", java.util.Arrays.stream(ids).map(id -> new NodeSpec(id, "edge", "local", null)).toList());
    }

    @Test
    void aFailingNodeIsRetriedThenReportedWithItsMessageAndTheStateItStartedFromIsKept() throws Exception {
        CloudController c = controller("bad-1", "", 3, Duration.ofMinutes(2));
        // Another deployment, applied before: it must not be touched by the failure.
        ApplyResult other = c.apply(local("other", "o-1"), Progress.NONE);
        assertThat(other.nodes()).extracting(NodeInstance::id).containsExactly("o-1");
        Path otherDir = c.workDir("other", "local");
        byte[] otherState = Files.readAllBytes(otherDir.resolve("terraform.tfstate"));
        // This deployment's own previous state: one good node.
        c.apply(local("grp", "good-1"), Progress.NONE);
        Path dir = c.workDir("grp", "local");

        ItSupport.Recorder progress = new ItSupport.Recorder();
        ApplyException e = catchThrowableOfType(ApplyException.class,
                () -> c.apply(local("grp", "good-1", "bad-1"), progress));

        assertThat(e).isNotNull();
        assertThat(e.name()).isEqualTo("grp");
        assertThat(e.cloud()).isEqualTo("local");
        assertThat(e.phase()).isEqualTo("apply");
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(e.retryable()).isTrue();
        assertThat(e.timedOut()).isFalse();
        assertThat(e.output()).startsWith("Error: local-exec provisioner error")
                .contains("cascade-test: node bad-1 refused to start");
        assertThat(e.output().length()).isLessThanOrEqualTo(ApplyException.MAX_OUTPUT_CHARS);
        assertThat(e.getMessage()).startsWith("grp/local: apply failed (exit 1) after 3 attempts: Error: local-exec provisioner error");
        assertThat(progress.phase("retry")).hasSize(2).allMatch(r -> r.contains("failed in apply (exit 1)"));
        assertThat(progress.phase("init")).containsExactly("init | up to date (modules and providers unchanged)",
                "init | up to date (modules and providers unchanged)", "init | up to date (modules and providers unchanged)");

        // The good node is still there, in the state and on disk; the other deployment is byte for byte as it was.
        assertThat(dir.resolve("good-1.node")).exists();
        assertThat(Files.readString(dir.resolve("terraform.tfstate"))).contains("\"index_key\": \"good-1\"");
        assertThat(Files.readAllBytes(otherDir.resolve("terraform.tfstate"))).isEqualTo(otherState);
        assertThat(otherDir.resolve("o-1.node")).exists();

        // Without the bad node the deployment applies again, and the failed one is cleaned up.
        ApplyResult fixed = c.apply(local("grp", "good-1"), Progress.NONE);
        assertThat(fixed.nodes()).extracting(NodeInstance::id).containsExactly("good-1");
        assertThat(fixed.attempts()).isEqualTo(1);
    }

    @Test
    void aConfigurationErrorIsNotRetried() throws Exception {
        // stop_timeout is not a variable of the failing module: in JSON syntax "Extraneous JSON object property"
        // (in HCL "Unsupported argument"), which no retry can fix.
        CloudController c = new CloudController(ItSupport.settings(workRoot, ItSupport.failingModulesDir(),
                new PlatformSettings("unused", Map.of(), Map.of("stop_timeout", "3"), Map.of()), 3, Duration.ofMinutes(2)));
        ItSupport.Recorder progress = new ItSupport.Recorder();
        ApplyException e = catchThrowableOfType(ApplyException.class, () -> c.apply(local("grp", "n-1"), progress));

        assertThat(e.phase()).isIn("init", "plan");
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.retryable()).isFalse();
        assertThat(e.output()).startsWith("Error: Extraneous JSON object property").contains("\"stop_timeout\"");
        assertThat(progress.phase("retry")).isEmpty();
    }

    @Test
    void aTimeoutStopsTheTerraformProcessTreeAndTheDirectoryStaysUsable() throws Exception {
        CloudController c = controller("", "slow-1", 3, Duration.ofSeconds(4));
        c.apply(local("grp", "n-1"), Progress.NONE); // init done; the next attempt's budget is all apply
        Path dir = c.workDir("grp", "local");

        ApplyException e = catchThrowableOfType(ApplyException.class, () -> c.apply(local("grp", "n-1", "slow-1"), Progress.NONE));

        assertThat(e.timedOut()).isTrue();
        assertThat(e.phase()).isEqualTo("apply");
        assertThat(e.exitCode()).isEqualTo(-1);
        assertThat(e.attempts()).isEqualTo(1); // a timeout is not retried
        assertThat(e.getMessage()).startsWith("grp/local: apply timed out");
        assertThat(e.output()).startsWith("timed out: applyTimeout PT4S ran out; terraform and its child processes were stopped");
        long sleeper = Long.parseLong(Files.readString(dir.resolve("slow-1.hang")).strip());
        assertThat(ItSupport.eventually(Duration.ofSeconds(10),
                () -> ProcessHandle.of(sleeper).map(h -> !h.isAlive()).orElse(true)))
                .as("the provisioner's sleep (pid %d) was killed with terraform", sleeper).isTrue();

        // No stale lock, no broken state: the next apply works.
        ApplyResult r = c.apply(local("grp", "n-1"), Progress.NONE);
        assertThat(r.nodes()).extracting(NodeInstance::id).containsExactly("n-1");
    }

    @Test
    void anInterruptStopsTerraformAndIsReportedWithTheFlagSetAgain() throws Exception {
        CloudController c = controller("", "slow-1", 3, Duration.ofMinutes(2));
        c.apply(local("grp", "n-1"), Progress.NONE);
        Path hang = c.workDir("grp", "local").resolve("slow-1.hang");
        java.util.concurrent.atomic.AtomicReference<ApplyException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean flagSet = new java.util.concurrent.atomic.AtomicBoolean();
        Thread worker = new Thread(() -> {
            try {
                c.apply(local("grp", "n-1", "slow-1"), Progress.NONE);
            } catch (ApplyException e) {
                failure.set(e);
                flagSet.set(Thread.currentThread().isInterrupted());
            }
        });
        worker.start();
        assertThat(ItSupport.eventually(Duration.ofSeconds(60), () -> Files.isRegularFile(hang))).isTrue();
        long sleeper = Long.parseLong(Files.readString(hang).strip());
        worker.interrupt();
        worker.join(60_000);

        assertThat(worker.isAlive()).isFalse();
        assertThat(failure.get()).isNotNull();
        assertThat(failure.get().phase()).isEqualTo("apply");
        assertThat(failure.get().attempts()).isEqualTo(1);
        assertThat(failure.get().output()).startsWith("interrupted: terraform was stopped");
        assertThat(flagSet.get()).as("interrupt flag set again").isTrue();
        assertThat(ItSupport.eventually(Duration.ofSeconds(10),
                () -> ProcessHandle.of(sleeper).map(h -> !h.isAlive()).orElse(true))).isTrue();
        assertThat(c.apply(local("grp", "n-1"), Progress.NONE).nodes()).hasSize(1);
    }

    @Test
    void aMissingTerraformBinaryIsAnInitFailure() {
        CloudController c = new CloudController(ItSupport.settings(workRoot, ItSupport.failingModulesDir(),
                PlatformSettings.of("unused"), 2, Duration.ofMinutes(1)).withTerraform("/nonexistent/terraform"));
        assertThatThrownBy(() -> c.apply(local("grp", "n-1"), Progress.NONE))
                .isInstanceOfSatisfying(ApplyException.class, e -> {
                    assertThat(e.phase()).isEqualTo("init");
                    assertThat(e.output()).startsWith("cannot run /nonexistent/terraform");
                    assertThat(e.attempts()).isEqualTo(1);
                });
    }
}
