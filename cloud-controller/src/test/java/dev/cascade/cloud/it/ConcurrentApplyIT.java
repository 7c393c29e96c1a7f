package dev.cascade.cloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.cloud.ApplyResult;
import dev.cascade.cloud.CloudController;
import dev.cascade.cloud.Deployment;
import dev.cascade.cloud.NodeSpec;
import dev.cascade.cloud.PlatformSettings;
import dev.cascade.cloud.Progress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One apply per working directory at a time: two applies of the same deployment from two threads, and an apply
 * while another process holds the directory's file lock. Ordering is asserted on the progress events, never on
 * time: the first apply is held inside its terraform run until the second has reported that it waits.
 */
class ConcurrentApplyIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path workRoot;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private CloudController controller() {
        return new CloudController(ItSupport.settings(workRoot, ItSupport.failingModulesDir(),
                PlatformSettings.of("unused"), 1, Duration.ofMinutes(2)));
    }

    private static Deployment grp(String... ids) {
        return new Deployment("grp", "local", java.util.Arrays.stream(ids).map(id -> new NodeSpec(id, "edge", "local", null)).toList());
    }

    @Test
    void twoAppliesOfOneDeploymentFromTwoThreadsRunOneAfterTheOther() throws Exception {
        CloudController c = controller();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch aHolds = new CountDownLatch(1);
        CountDownLatch bWaits = new CountDownLatch(1);

        // A: once inside terraform apply (it holds the directory), waits until B says it is waiting.
        Progress a = (name, cloud, phase, message) -> {
            log.add("A " + phase + " | " + message);
            if (phase.equals("lock") && message.startsWith("acquired")) {
                aHolds.countDown();
            }
            if (phase.equals("apply") && message.contains("Creating...")) {
                await(bWaits);
            }
        };
        Progress b = (name, cloud, phase, message) -> {
            log.add("B " + phase + " | " + message);
            if (phase.equals("lock") && message.startsWith("waiting")) {
                bWaits.countDown();
            }
        };

        Future<ApplyResult> first = pool.submit(() -> c.apply(grp("n-1", "n-2"), a));
        assertThat(aHolds.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Future<ApplyResult> second = pool.submit(() -> c.apply(grp("n-1", "n-2", "n-3"), b));

        assertThat(first.get(BOUND.toSeconds(), TimeUnit.SECONDS).nodes()).hasSize(2);
        assertThat(second.get(BOUND.toSeconds(), TimeUnit.SECONDS).nodes()).hasSize(3);

        List<String> events = List.copyOf(log);
        int bWaiting = events.indexOf(events.stream().filter(e -> e.startsWith("B lock | waiting")).findFirst().orElseThrow());
        int aReleased = events.indexOf("A lock | released");
        int bAcquired = indexOfFirst(events, "B lock | acquired");
        // B waited while A held the directory, and started only after A released it.
        assertThat(indexOfFirst(events, "A lock | acquired")).isLessThan(bWaiting);
        assertThat(bWaiting).isLessThan(aReleased);
        assertThat(aReleased).isLessThan(bAcquired);
        // Apart from its "waiting", nothing of B happened between A's acquire and A's release...
        List<String> whileAHeld = events.subList(indexOfFirst(events, "A lock | acquired"), aReleased + 1);
        assertThat(whileAHeld).filteredOn(e -> e.startsWith("B ")).allMatch(e -> e.startsWith("B lock | waiting"));
        // ...and nothing of A after.
        assertThat(events.subList(bAcquired, events.size())).allMatch(e -> e.startsWith("B "));
        // B planned against the state A left: only n-3 was new.
        assertThat(events).contains("B plan | Plan: 1 to add, 0 to change, 0 to destroy.");
    }

    @Test
    void anApplyWaitsForAnotherProcessHoldingTheDirectory() throws Exception {
        CloudController c = controller();
        Path dir = c.workDir("grp", "local");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("cascade.test.classpath", "target/test-classes"), LockHolder.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            ItSupport.Recorder progress = new ItSupport.Recorder();
            CountDownLatch waiting = new CountDownLatch(1);
            Progress p = (name, cloud, phase, message) -> {
                progress.event(name, cloud, phase, message);
                if (phase.equals("lock") && message.startsWith("waiting")) {
                    waiting.countDown();
                }
            };
            CompletableFuture<ApplyResult> apply = CompletableFuture.supplyAsync(() -> {
                try {
                    return c.apply(grp("n-1"), p);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, pool);

            assertThat(waiting.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
            // While the other process holds the lock the apply has done nothing but wait.
            assertThat(progress.events).allMatch(e -> e.startsWith("lock | waiting"));
            assertThat(apply).isNotDone();

            holder.getOutputStream().close(); // the holder lets go
            assertThat(out.readLine()).isEqualTo("released");
            ApplyResult r = apply.get(BOUND.toSeconds(), TimeUnit.SECONDS);

            assertThat(r.nodes()).hasSize(1);
            List<String> events = List.copyOf(progress.events);
            assertThat(events.get(0)).startsWith("lock | waiting");
            assertThat(events.get(1)).startsWith("lock | acquired");
            assertThat(events.get(2)).startsWith("synth | ");
            assertThat(events.get(events.size() - 1)).isEqualTo("lock | released");
        } finally {
            holder.destroyForcibly();
        }
    }

    private static int indexOfFirst(List<String> events, String prefix) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no event starting with '" + prefix + "' in " + events);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the other apply never reported that it waits");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
