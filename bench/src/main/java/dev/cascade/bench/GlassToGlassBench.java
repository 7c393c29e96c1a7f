package dev.cascade.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Glass-to-glass latency for SRT in -> WebRTC out through three tiers: {@link StampedPublisher}
 * pushes a 30 fps test pattern, every frame stamped with its send time in an SEI, to an origin; the
 * stream goes origin -> relay -> edge over SRT; headless Chromium plays it from the edge with the
 * Cascade player, whose encoded transform reads each stamp and reports now - stamp.
 *
 * <p>Writes {@code bench/results/glass-to-glass-<stamp>.json} and a PNG of the per-second p50 over
 * the run.
 */
public final class GlassToGlassBench {
    static final String USAGE = """
            usage: bench/run glass-to-glass [--seconds N] [--size WxH] [--publisher-latency MS]
              --seconds N             how long the browser samples (default 20)
              --size WxH              test pattern size (default 640x360)
              --publisher-latency MS  SRT latency publisher->origin and edge->nothing else (default 120)""";

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Bench.options(args, new LinkedHashMap<>(Map.of("seconds", "20", "size", "640x360",
                "publisher-latency", "120")), USAGE);
        int seconds = Integer.parseInt(o.get("seconds"));
        String tag = "g2g";
        Instant started = Instant.now();
        CascadeNode origin = CascadeNode.start("origin", 0, tag);
        CascadeNode relay = CascadeNode.start("relay", origin.srtPort, tag);
        CascadeNode edge = CascadeNode.start("edge", relay.srtPort, tag);
        Bench.log("origin SRT %d, relay SRT %d, edge SRT %d / HTTP %d", origin.srtPort, relay.srtPort, edge.srtPort, edge.httpPort);
        StampedPublisher publisher = new StampedPublisher(origin.srtPort, "#!::r=live/g2g,m=publish", seconds + 40,
                o.get("size"), Bench.logs().resolve(tag + "-ffmpeg.log"));
        Thread pub = new Thread(publisher, "stamped-publisher");
        pub.setDaemon(true);
        pub.start();
        Path watchJson = Bench.tmp().resolve("g2g-watch.json");
        Path watch = Bench.root().resolve("clients/test/watch.mjs");
        Bench.log("Chromium watching http://127.0.0.1:%d/watch/live/g2g for %d s", edge.httpPort, seconds);
        Process browser = Bench.start(List.of("node", watch.toString(), "--url",
                "http://127.0.0.1:" + edge.httpPort + "/watch/live/g2g", "--seconds", Integer.toString(seconds),
                "--out", watchJson.toString()), Bench.logs().resolve(tag + "-chromium.log"));
        if (!browser.waitFor(seconds + 90L, TimeUnit.SECONDS) || browser.exitValue() != 0 || !Files.exists(watchJson)) {
            throw new IllegalStateException("the browser harness failed; see " + Bench.logs().resolve(tag + "-chromium.log"));
        }
        JsonNode result = Bench.JSON.readTree(watchJson.toFile());
        Exception publisherFailure = publisher.failure; // read before teardown, which ends its connection
        edge.close();
        relay.close();
        origin.close();
        if (publisherFailure != null) {
            throw publisherFailure;
        }

        JsonNode g2g = result.get("summary").get("glassToGlass");
        if (g2g == null || g2g.isNull()) {
            throw new IllegalStateException("the player measured no glass-to-glass latency: " + result.get("summary"));
        }
        List<Map<String, Object>> perSecond = new ArrayList<>();
        for (JsonNode s : result.get("samples")) {
            if (s.hasNonNull("glassToGlassP50Ms")) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("t", s.get("t").asDouble() / 1000.0); // the harness's t is milliseconds
                row.put("p50Ms", s.get("glassToGlassP50Ms").asDouble());
                row.put("p95Ms", s.path("glassToGlassP95Ms").asDouble());
                row.put("lastMs", s.path("glassToGlassMs").asDouble());
                row.put("fps", s.path("fps").asDouble());
                perSecond.add(row);
            }
        }
        String stamp = Bench.stamp(started);
        Path json = Bench.results().resolve("glass-to-glass-" + stamp + ".json");
        Path png = Bench.results().resolve("glass-to-glass-" + stamp + ".png");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "glass-to-glass");
        out.put("command", Bench.command("bench/run glass-to-glass"));
        out.put("path", "StampedPublisher -SRT(120 ms)-> origin -SRT(20 ms)-> relay -SRT(20 ms)-> edge -WebRTC-> Chromium");
        out.put("what", "now - SEI stamp, read by the player's encoded transform before decoding; excludes capture and "
                + "encode (stamped at ffmpeg's output) and decode/render");
        out.put("seconds", seconds);
        out.put("size", o.get("size"));
        out.put("glassToGlassMs", Bench.JSON.convertValue(g2g, Map.class));
        out.put("player", Bench.JSON.convertValue(result.get("summary"), Map.class));
        out.put("perSecond", perSecond);
        out.put("framesPublished", publisher.frames.get());
        out.put("environment", Bench.environment());
        Bench.writeJson(json, out);

        Path data = Bench.tmp().resolve("g2g.dat");
        StringBuilder d = new StringBuilder();
        for (Map<String, Object> r : perSecond) {
            d.append(r.get("t")).append(' ').append(r.get("p50Ms")).append(' ').append(r.get("p95Ms")).append('\n');
        }
        Files.writeString(data, d);
        Path script = Bench.tmp().resolve("g2g.gp");
        Files.writeString(script, String.format("""
                set terminal pngcairo size 1200,600 font ',11'
                set output '%s'
                set title "Glass-to-glass, SRT in -> origin -> relay -> edge -> WebRTC (Chromium), %s\\np50 %.0f ms, p95 %.0f ms over %d frames (SEI stamps; the first seconds include the GOP-cache start)"
                set xlabel 'time (s)'
                set ylabel 'latency (ms)'
                set yrange [0:*]
                set grid
                set key top left
                plot '%s' using 1:2 with linespoints lw 2 title 'p50 of the last 100 frames', \\
                     '%s' using 1:3 with linespoints lw 1 title 'p95 of the last 100 frames'
                """, png, o.get("size"), g2g.get("p50").asDouble(), g2g.get("p95").asDouble(), g2g.get("count").asInt(),
                data, data));
        Bench.gnuplot(script);
        String headline = Bench.fmt("SRT in -> 3 tiers -> WebRTC (Chromium): glass-to-glass p50 %.0f ms, p95 %.0f ms, "
                + "%d frames", g2g.get("p50").asDouble(), g2g.get("p95").asDouble(), g2g.get("count").asInt());
        Bench.appendResultRow("glass-to-glass", "bench/run glass-to-glass", headline, json, png);
        Bench.log("%s -> %s", headline, json);
    }
}
