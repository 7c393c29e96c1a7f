package dev.cascade.node.transcode;

import dev.cascade.node.manager.ManagerMessages.NodeStream;
import dev.cascade.node.manager.NodeReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transcoder's heartbeat figures: each job as a stream (not publishing, pulled from its origin, so
 * the manager and the dashboard show it on the stream's route), the jobs as {@code streams} (its
 * capacity is {@code maxJobs} of them), the variants it publishes as {@code publishers}, the bytes its
 * ffmpeg processes wrote as {@code mbpsOut}; and ({@link #cpu}) the CPU of this process with its
 * ffmpeg children, which is where a transcoder's work is.
 */
final class TranscoderReporter {
    private final TranscodeRunner runner;
    private IdentityHashMap<RunningJob, Long> previousBytes = new IdentityHashMap<>();
    private long previousNanos = System.nanoTime();
    private Map<Long, Duration> previousCpu = new HashMap<>();
    private long previousCpuNanos = System.nanoTime();
    private double lastShare = -1;

    TranscoderReporter(TranscodeRunner runner) {
        this.runner = runner;
        cpu(); // the first figure is a difference too: the first heartbeat has one
    }

    synchronized NodeReport sample() {
        long now = System.nanoTime();
        double seconds = Math.max((now - previousNanos) / 1e9, 0.001);
        IdentityHashMap<RunningJob, Long> bytes = new IdentityHashMap<>();
        List<NodeStream> streams = new ArrayList<>();
        long out = 0;
        int publishers = 0;
        for (RunningJob j : runner.jobs()) {
            long b = j.bytesOut();
            bytes.put(j, b);
            Long before = previousBytes.get(j);
            out += Math.max(0, before == null ? 0 : b - before);
            if (j.up()) {
                publishers += j.job().ladder().size();
            }
            // kbps is the schema's "arriving at this node": ffmpeg does not say, so 0.
            streams.add(new NodeStream(j.job().stream(), false, 0, 0, j.job().source().node()));
        }
        previousBytes = bytes;
        previousNanos = now;
        double mbpsOut = Math.round(out * 8 / seconds / 1000) / 1000.0;
        return new NodeReport(0, mbpsOut, publishers, 0, streams.size(), streams, false);
    }

    /**
     * CPU time of this process and its descendants (the ffmpeg processes) since the last call, as a
     * fraction of the machine (0..1); -1 the first time (the constructor's). Each process's time is taken as a difference
     * from its own previous value, so a process that ended drops out instead of making the sum go back.
     */
    synchronized double cpu() {
        long now = System.nanoTime();
        Map<Long, Duration> current = new HashMap<>();
        Duration used = Duration.ZERO;
        List<ProcessHandle> processes = new ArrayList<>();
        processes.add(ProcessHandle.current());
        ProcessHandle.current().descendants().forEach(processes::add);
        for (ProcessHandle p : processes) {
            Duration total = p.info().totalCpuDuration().orElse(null);
            if (total == null) {
                continue;
            }
            current.put(p.pid(), total);
            Duration before = previousCpu.get(p.pid());
            Duration d = before == null ? total : total.minus(before);
            if (!d.isNegative()) {
                used = used.plus(d);
            }
        }
        boolean first = previousCpu.isEmpty();
        double seconds = (now - previousCpuNanos) / 1e9;
        if (!first && (seconds < 0.05 && lastShare >= 0 || seconds <= 0)) {
            return lastShare; // too short an interval to say anything new
        }
        previousCpu = current;
        previousCpuNanos = now;
        if (first) {
            return -1;
        }
        double share = used.toNanos() / 1e9 / seconds / Runtime.getRuntime().availableProcessors();
        lastShare = Math.max(0, Math.min(1, share));
        return lastShare;
    }
}
