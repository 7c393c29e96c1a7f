package dev.cascade.manager.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PendingLoadTest {

    @Test
    void aPlacementCountsForTheWholeWindowAndThenExpires() {
        // 10 s in 10 slices of 1 s.
        PendingLoad pending = new PendingLoad(10_000, 10);
        pending.add("edge-1", 500);
        assertThat(pending.get("edge-1", 500)).isEqualTo(1);
        assertThat(pending.get("edge-1", 10_500)).as("exactly windowMs later").isEqualTo(1);
        assertThat(pending.get("edge-1", 10_999)).as("end of the last slice").isEqualTo(1);
        assertThat(pending.get("edge-1", 11_000)).isZero();
    }

    @Test
    void aPlacementAtTheEndOfASliceStillCountsAFullWindow() {
        PendingLoad pending = new PendingLoad(10_000, 10);
        pending.add("edge-1", 999);
        assertThat(pending.get("edge-1", 999 + 10_000)).isEqualTo(1);
        assertThat(pending.get("edge-1", 999 + 10_001)).isZero();
    }

    @Test
    void slicesExpireOneByOne() {
        PendingLoad pending = new PendingLoad(10_000, 10);
        pending.add("edge-1", 0);
        pending.add("edge-1", 1_500);
        pending.add("edge-1", 1_600);
        pending.add("edge-1", 2_500);
        assertThat(pending.get("edge-1", 3_000)).isEqualTo(4);
        assertThat(pending.get("edge-1", 11_000)).isEqualTo(3);
        assertThat(pending.get("edge-1", 12_000)).isEqualTo(1);
        assertThat(pending.get("edge-1", 13_000)).isZero();
    }

    @Test
    void aReusedSlotStartsFromZero() {
        PendingLoad pending = new PendingLoad(10_000, 10);
        pending.add("edge-1", 0);
        pending.add("edge-1", 0);
        // 11 slots of 1 s: 11 s later the same slot comes round again.
        pending.add("edge-1", 11_000);
        assertThat(pending.get("edge-1", 11_000)).isEqualTo(1);
    }

    @Test
    void windowsThatDoNotDivideEvenlyRoundTheSliceUp() {
        // 1000 ms in 3 slices: 334 ms each, so a placement counts for more than 1002 ms.
        PendingLoad pending = new PendingLoad(1_000, 3);
        pending.add("edge-1", 333);
        assertThat(pending.get("edge-1", 333 + 1_000)).isEqualTo(1);
        assertThat(pending.get("edge-1", 1_335)).isEqualTo(1);
        assertThat(pending.get("edge-1", 1_336)).isZero();
    }

    @Test
    void clockReadsThatArriveOutOfOrderAreNeverDropped() {
        PendingLoad pending = new PendingLoad(10_000, 10);
        pending.add("edge-1", 11_000);
        // A caller that read the clock 11 s earlier meets the same slot, already holding a newer slice.
        pending.add("edge-1", 0);
        assertThat(pending.get("edge-1", 11_000)).isEqualTo(2);
        // A reader whose clock is behind a slice still counts it.
        assertThat(pending.get("edge-1", 5_000)).isEqualTo(2);
    }

    @Test
    void timeBeforeTheEpochWorks() {
        PendingLoad pending = new PendingLoad(1_000, 10);
        pending.add("edge-1", -5);
        assertThat(pending.get("edge-1", -5)).isEqualTo(1);
        assertThat(pending.get("edge-1", 995)).isEqualTo(1);
        assertThat(pending.get("edge-1", 1_000)).isZero();
    }

    @Test
    void nodesAreCountedApartAndSnapshotHoldsOnlyNonZeroCounts() {
        PendingLoad pending = new PendingLoad(10_000, 10);
        pending.add("edge-1", 0);
        pending.add("edge-2", 0);
        pending.add("edge-2", 5_000);
        assertThat(pending.get("edge-3", 5_000)).isZero();
        assertThat(pending.snapshot(5_000)).isEqualTo(Map.of("edge-1", 1L, "edge-2", 2L));
        assertThat(pending.snapshot(11_000)).isEqualTo(Map.of("edge-2", 1L));
        assertThat(pending.snapshot(16_000)).isEmpty();
        Map<String, Long> snapshot = pending.snapshot(0);
        assertThatThrownBy(() -> snapshot.put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void forgetDropsANode() {
        PendingLoad pending = new PendingLoad(10_000, 10);
        pending.add("edge-1", 0);
        pending.add("edge-2", 0);
        pending.forget("edge-1");
        pending.forget("never-seen");
        assertThat(pending.get("edge-1", 0)).isZero();
        assertThat(pending.snapshot(0)).isEqualTo(Map.of("edge-2", 1L));
        pending.add("edge-1", 0);
        assertThat(pending.get("edge-1", 0)).isEqualTo(1);
    }

    @Test
    void concurrentAddsAreAllCounted() throws Exception {
        // Slices of 1 ms and times spread over 200 of them, so threads race to open slices too.
        PendingLoad pending = new PendingLoad(10_000, 10_000);
        int threads = 4;
        int perThread = 50_000;
        String[] nodes = {"edge-1", "edge-2", "edge-3"};
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        pending.add(nodes[i % nodes.length], i / 250);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long total = pending.snapshot(200).values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).isEqualTo((long) threads * perThread);
        assertThat(pending.get("edge-1", 200)).isEqualTo((long) threads * ((perThread + 2) / 3));
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new PendingLoad(0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("windowMs");
        assertThatThrownBy(() -> new PendingLoad(1_000, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("buckets");
        assertThatThrownBy(() -> new PendingLoad(10, 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("buckets");
        PendingLoad pending = new PendingLoad(1_000, 10);
        assertThatThrownBy(() -> pending.add(null, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> pending.get(null, 0)).isInstanceOf(NullPointerException.class);
    }
}
