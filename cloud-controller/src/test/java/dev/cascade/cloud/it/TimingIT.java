package dev.cascade.cloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.cloud.ApplyResult;
import dev.cascade.cloud.CloudController;
import dev.cascade.cloud.Deployment;
import dev.cascade.cloud.NodeSpec;
import dev.cascade.cloud.PlatformSettings;
import dev.cascade.cloud.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures (prints, and writes to target/cloud-controller-timings.txt; asserts only outcomes): synthesis time, first
 * and later ones in one JVM, and local-platform apply time with 1 and 2 real nodes.
 */
class TimingIT {
    @TempDir
    Path workRoot;

    private CloudController controller;
    private final List<String> report = new ArrayList<>();

    @AfterEach
    void destroy() throws Exception {
        if (controller != null) {
            for (String name : List.of("one", "two")) {
                controller.destroy(name, "local", Progress.NONE);
            }
        }
        Path out = Path.of("target", "cloud-controller-timings.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
    }

    @Test
    void synthesisAndLocalApplyTimes() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SynthTimingMain.class.getName(),
                ItSupport.modulesDir().toString(), "8", workRoot.resolve("synth").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(out).contains("synth-ms [");
        String synth = out.lines().filter(l -> l.startsWith("synth-ms")).findFirst().orElseThrow();
        record("synthesis in a fresh JVM, first then later (ms): " + synth.substring("synth-ms ".length()));

        controller = new CloudController(ItSupport.settings(workRoot, ItSupport.modulesDir(),
                PlatformSettings.of(ItSupport.nodeCommand()), 1, Duration.ofMinutes(3)));
        ApplyResult one = controller.apply(new Deployment("one", "local", List.of(new NodeSpec("t-1", "edge", "local", null))),
                Progress.NONE);
        ApplyResult oneAgain = controller.apply(new Deployment("one", "local",
                List.of(new NodeSpec("t-1", "edge", "local", null))), Progress.NONE);
        ApplyResult two = controller.apply(new Deployment("two", "local", List.of(
                new NodeSpec("t-2", "edge", "local", null), new NodeSpec("t-3", "edge", "local", null))), Progress.NONE);
        ApplyResult twoAgain = controller.apply(new Deployment("two", "local", List.of(
                new NodeSpec("t-2", "edge", "local", null), new NodeSpec("t-3", "edge", "local", null))), Progress.NONE);
        assertThat(one.nodes()).hasSize(1);
        assertThat(two.nodes()).hasSize(2);
        record("local apply, 1 new node (synth + init + apply + output, node up on HTTP): " + one.took().toMillis() + " ms");
        record("local apply, same 1 node again (no change, init skipped): " + oneAgain.took().toMillis() + " ms");
        record("local apply, 2 new nodes (synth + init + apply + output, nodes up on HTTP): " + two.took().toMillis() + " ms");
        record("local apply, same 2 nodes again (no change, init skipped): " + twoAgain.took().toMillis() + " ms");
    }

    private void record(String line) throws IOException {
        report.add(line);
        System.out.println("[timing] " + line);
    }
}
