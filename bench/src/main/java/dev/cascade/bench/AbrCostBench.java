package dev.cascade.bench;

import java.util.Map;

/**
 * The edge's cost of ABR: the viewers ramp of {@link ViewersBench} against one managed edge without
 * a ladder ({@code cascade-abr-off}: viewers watch the 600 kbps variant {@code live/load_2} as a plain
 * stream), with one ({@code cascade-abr}: viewers watch {@code live/load} and are held on level 2,
 * the same 600 kbps, by the REMB they send) and with one but no up-probes
 * ({@code cascade-abr-noprobe}). Same files, same bytes of media per viewer: what differs is the
 * edge's per-viewer ABR work (taps, splice rewrite, sent map) and the probes' padding
 * ({@link AbrCostTarget}).
 */
public final class AbrCostBench {
    static final String USAGE = """
            bench/run abr-cost [options]   (bench/run viewers with these defaults; every viewers option applies)
              --targets cascade-abr-off,cascade-abr,cascade-abr-noprobe
                                        managed edge without a ladder / with one / with one and abr.probe=false
              --bitrates 600            kbps of level 2, which the viewers watch (the ABR-off viewers watch it directly)
              --abr-top 2500            kbps of level 1 (1280x720; also the source's file)
              --remb 1200               kbps each viewer announces: holds it on level 2 (level 1 would need 3 Mbps)
              --step 100                viewers added per step
              --max 3000                stop after this many viewers
              --settle 3                seconds after a step before measuring
              --hold 8                  seconds measured per step
              --loss-limit 0.5          percent of packets lost that ends the ramp
              --delay-limit 250         ms of p95 delay growth that ends the ramp
              --verify-every 64         authenticate and decrypt one packet in N per viewer
              --server-cpu 1            CPU the edge is pinned to (the rest run on the others)""";

    private AbrCostBench() {}

    public static void main(String[] args) throws Exception {
        ViewersBench.run("abr-cost", "Edge cost of ABR: WebRTC viewers on one edge core, ladder off / on / on without probes",
                USAGE, Map.of("targets", "cascade-abr-off,cascade-abr,cascade-abr-noprobe", "bitrates", "600",
                        "remb", "1200", "step", "100", "max", "3000"), args);
    }
}
