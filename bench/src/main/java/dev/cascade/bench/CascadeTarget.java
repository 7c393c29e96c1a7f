package dev.cascade.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Cascade under viewer load: an origin (on the viewers' CPUs) publishing the file over SRT, and
 * one edge pinned to the server CPU that pulls it and serves WHEP. Only the edge is measured.
 */
final class CascadeTarget extends EdgeTarget {
    private static final String KEY = "live/load";
    private final CascadeNode origin;
    private final Process publisher;

    private CascadeTarget(CascadeNode origin, CascadeNode edge, Process publisher) {
        super(edge, KEY);
        this.origin = origin;
        this.publisher = publisher;
    }

    static CascadeTarget start(Path media, int serverCpu) throws IOException {
        CascadeNode origin = CascadeNode.start("origin", 0, "viewers");
        CascadeNode edge = null;
        Process publisher = null;
        try {
            edge = CascadeNode.start("edge", origin.srtPort, "viewers", List.of(),
                    List.of("taskset", "-c", Integer.toString(serverCpu)));
            publisher = Bench.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                    "-re", "-stream_loop", "-1", "-i", media.toString(), "-c", "copy", "-f", "mpegts",
                    "srt://127.0.0.1:" + origin.srtPort + "?streamid=#!::r=" + KEY + ",m=publish&latency=20000"),
                    Bench.logs().resolve("viewers-publisher.log"));
            awaitStream(origin);
            return new CascadeTarget(origin, edge, publisher);
        } catch (IOException | RuntimeException e) {
            if (publisher != null) {
                Bench.stop(publisher);
            }
            if (edge != null) {
                edge.close();
            }
            origin.close();
            throw e;
        }
    }

    private static void awaitStream(CascadeNode origin) throws IOException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (origin.metricTotals().getOrDefault("cascade_stream_keyframes_total", 0.0) >= 1) {
                return;
            }
            Bench.sleep(200);
        }
        throw new IOException("the origin got no keyframe from the publisher in 20 s; see bench/results/tmp/logs/");
    }

    @Override
    public String name() {
        return "cascade";
    }

    @Override
    public void close() {
        Bench.stop(publisher);
        edge.close();
        origin.close();
    }
}
