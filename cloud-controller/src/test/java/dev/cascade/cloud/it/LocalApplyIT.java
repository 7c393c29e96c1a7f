package dev.cascade.cloud.it;

import static dev.cascade.cloud.it.ItSupport.eventually;
import static dev.cascade.cloud.it.ItSupport.healthz;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.cloud.ApplyResult;
import dev.cascade.cloud.CloudController;
import dev.cascade.cloud.Deployment;
import dev.cascade.cloud.NodeInstance;
import dev.cascade.cloud.NodeSpec;
import dev.cascade.cloud.PlatformSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real apply on the local platform: the real terraform binary, the real terraform/modules/local, real media nodes
 * (node/server's build). Two standalone edges come up and answer /healthz; removing one id stops exactly that
 * process; destroy stops the rest.
 */
class LocalApplyIT {
    @TempDir
    Path workRoot;

    private CloudController controller;
    private final List<Long> started = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        if (controller != null) {
            try {
                controller.destroy("edges", "local", dev.cascade.cloud.Progress.NONE);
            } catch (Exception e) {
                System.err.println("clean-up destroy failed: " + e);
            }
        }
        for (long pid : started) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void twoEdgesComeUpThenOneIsRemovedThenAllAreDestroyed() throws Exception {
        controller = new CloudController(ItSupport.settings(workRoot, ItSupport.modulesDir(),
                new PlatformSettings(ItSupport.nodeCommand(), Map.of(), Map.of("stop_timeout", "10"), Map.of()),
                1, Duration.ofMinutes(3)));
        Path stateDir = controller.workDir("edges", "local");
        ItSupport.Recorder progress = new ItSupport.Recorder();

        long t0 = System.nanoTime();
        ApplyResult two = controller.apply(new Deployment("edges", "local", List.of(
                new NodeSpec("edge-a", "edge", "local", null), new NodeSpec("edge-b", "edge", "local", null))), progress);
        long twoMs = (System.nanoTime() - t0) / 1_000_000;

        assertThat(two.attempts()).isEqualTo(1);
        assertThat(two.nodes()).containsExactly(
                new NodeInstance("edge-a", "edge", "local", "127.0.0.1"),
                new NodeInstance("edge-b", "edge", "local", "127.0.0.1"));
        int portA = ItSupport.httpPort(stateDir, "edge-a").orElseThrow();
        int portB = ItSupport.httpPort(stateDir, "edge-b").orElseThrow();
        long pidA = ItSupport.pid(stateDir, "edge-a").orElseThrow();
        long pidB = ItSupport.pid(stateDir, "edge-b").orElseThrow();
        started.add(pidA);
        started.add(pidB);
        assertThat(portA).isNotEqualTo(portB);
        assertThat(eventually(Duration.ofSeconds(30), () -> healthz(portA) == 200)).as("edge-a /healthz").isTrue();
        assertThat(eventually(Duration.ofSeconds(30), () -> healthz(portB) == 200)).as("edge-b /healthz").isTrue();
        assertThat(progress.phase("init")).isNotEmpty();
        assertThat(progress.phase("plan")).anyMatch(e -> e.contains("Plan: 2 to add, 0 to change, 0 to destroy."));
        assertThat(progress.phase("apply")).anyMatch(e -> e.contains("Apply complete! Resources: 2 added"));

        ItSupport.Recorder second = new ItSupport.Recorder();
        ApplyResult one = controller.apply(new Deployment("edges", "local", List.of(
                new NodeSpec("edge-b", "edge", "local", null))), second);

        assertThat(one.nodes()).containsExactly(new NodeInstance("edge-b", "edge", "local", "127.0.0.1"));
        assertThat(second.phase("init")).containsExactly("init | up to date (modules and providers unchanged)");
        assertThat(second.phase("apply")).anyMatch(e -> e.contains("Resources: 0 added, 0 changed, 1 destroyed."));
        assertThat(eventually(Duration.ofSeconds(15), () -> ProcessHandle.of(pidA).map(h -> !h.isAlive()).orElse(true)))
                .as("edge-a's process is gone").isTrue();
        assertThat(ProcessHandle.of(pidB)).get().matches(ProcessHandle::isAlive, "edge-b still runs");
        assertThat(healthz(portB)).isEqualTo(200);
        assertThat(healthz(portA)).isEqualTo(-1);
        assertThat(stateDir.resolve("nodes/edge-a.pid")).doesNotExist();

        ItSupport.Recorder destroy = new ItSupport.Recorder();
        controller.destroy("edges", "local", destroy);

        assertThat(destroy.phase("destroy")).anyMatch(e -> e.contains("Resources: 0 added, 0 changed, 1 destroyed."));
        assertThat(eventually(Duration.ofSeconds(15), () -> ProcessHandle.of(pidB).map(h -> !h.isAlive()).orElse(true)))
                .as("edge-b's process is gone").isTrue();
        assertThat(healthz(portB)).isEqualTo(-1);
        try (var pids = Files.list(stateDir.resolve("nodes"))) {
            assertThat(pids.filter(f -> f.toString().endsWith(".pid"))).isEmpty();
        }
        // An empty deployment now applies to nothing, and says so.
        ApplyResult none = controller.apply(new Deployment("edges", "local", List.of()), dev.cascade.cloud.Progress.NONE);
        assertThat(none.nodes()).isEmpty();
        System.out.printf("[timing] local apply of 2 nodes (first apply in this working directory, init included): %d ms%n",
                twoMs);
    }

    @Test
    void anEmptyDeploymentStopsTheNodesOfGroupsItNoLongerHas() throws Exception {
        controller = new CloudController(ItSupport.settings(workRoot, ItSupport.modulesDir(),
                PlatformSettings.of(ItSupport.nodeCommand()), 1, Duration.ofMinutes(3)));
        Path stateDir = controller.workDir("edges", "local");
        controller.apply(new Deployment("edges", "local", List.of(new NodeSpec("relay-1", "relay", "local", null))),
                dev.cascade.cloud.Progress.NONE);
        long pid = ItSupport.pid(stateDir, "relay-1").orElseThrow();
        started.add(pid);
        int port = ItSupport.httpPort(stateDir, "relay-1").orElseThrow();
        assertThat(eventually(Duration.ofSeconds(30), () -> healthz(port) == 200)).isTrue();

        // The relay_local module block is gone from the desired state; the controller keeps it, empty, so that the
        // module's destroy-time provisioner (node.sh stop) runs.
        ItSupport.Recorder progress = new ItSupport.Recorder();
        ApplyResult r = controller.apply(new Deployment("edges", "local", List.of()), progress);

        assertThat(r.nodes()).isEmpty();
        assertThat(progress.phase("synth")).anyMatch(e -> e.contains("1 emptied, kept until their nodes are gone"));
        assertThat(eventually(Duration.ofSeconds(15), () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)))
                .as("relay-1's process is gone").isTrue();

        ItSupport.Recorder after = new ItSupport.Recorder();
        controller.apply(new Deployment("edges", "local", List.of()), after);
        assertThat(after.phase("synth")).anyMatch(e -> e.contains(": 0 module(s)"));
    }
}
