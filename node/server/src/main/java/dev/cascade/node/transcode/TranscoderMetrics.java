package dev.cascade.node.transcode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A transcoder's metrics (docs/metrics.md), in the node's registry: its jobs, and per stream the
 * restarts, failed starts, real-time factor, frame rate and frames of its ladder. A job's series go
 * with the job.
 */
public final class TranscoderMetrics {
    private final MeterRegistry registry;
    private final Counter refused;
    private final Map<RunningJob, List<Meter>> perJob = new ConcurrentHashMap<>();

    public TranscoderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.refused = Counter.builder("cascade_transcoder_jobs_refused")
                .description("Jobs the stream manager listed past transcoder.maxJobs, not run (per heartbeat answer)")
                .register(registry);
    }

    void registerRunner(IntSupplier jobs, int maxJobs) {
        Gauge.builder("cascade_transcoder_jobs", jobs::getAsInt).description("Streams whose ladder this transcoder runs")
                .register(registry);
        Gauge.builder("cascade_transcoder_max_jobs", () -> maxJobs).description("transcoder.maxJobs").register(registry);
    }

    void refused() {
        refused.increment();
    }

    void registerJob(RunningJob j) {
        Tags t = Tags.of("stream", j.job().stream());
        perJob.put(j, List.of(
                FunctionCounter.builder("cascade_transcoder_restarts", j, RunningJob::restarts).tags(t)
                        .description("Times the ladder came back after its ffmpeg, once up, ended").register(registry),
                FunctionCounter.builder("cascade_transcoder_failed_starts", j, RunningJob::failedStarts).tags(t)
                        .description("ffmpeg runs that ended before their ladder was up (origin refused, no source)")
                        .register(registry),
                Gauge.builder("cascade_transcoder_speed", j, RunningJob::speed).tags(t)
                        .description("Real-time factor of the ladder's ffmpeg (1.0 keeps up; below 1 it falls behind); 0 when down")
                        .register(registry),
                Gauge.builder("cascade_transcoder_fps", j, RunningJob::fps).tags(t)
                        .description("Frames per second the ladder encodes (its first level)").register(registry),
                FunctionCounter.builder("cascade_transcoder_frames", j, RunningJob::frames).tags(t)
                        .description("Frames encoded (the first level's), over every run").register(registry),
                Gauge.builder("cascade_transcoder_up", j, x -> x.up() ? 1 : 0).tags(t)
                        .description("1 while the ladder's ffmpeg runs with its source and every variant connected")
                        .register(registry)));
    }

    void unregisterJob(RunningJob j) {
        List<Meter> meters = perJob.remove(j);
        if (meters != null) {
            meters.forEach(registry::remove);
        }
    }
}
