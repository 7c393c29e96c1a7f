package dev.cascade.bench;

import dev.cascade.node.srt.Srt;
import dev.cascade.node.srt.SrtConstants;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Added latency per hop and through origin, relay and edge, against chains of srt-live-transmit with
 * the same SRT latencies.
 *
 * <p>One publisher thread sends a real TS (720p30 x264 zerolatency, AAC, made once with ffmpeg) in
 * 1316-byte messages paced by its PCR and records when each 188-byte packet left (System.nanoTime,
 * just before {@code srt_sendmsg2}). Receivers (SRT callers, one blocking thread each) hash every
 * packet they get, find its index in the file (packets whose bytes occur more than once in the file
 * are skipped) and record receive time minus send time. Everything is one JVM clock on one machine,
 * so no clock sync is involved.
 *
 * <ul>
 *   <li><b>cascade</b>: origin, relay and edge processes; one publisher to the origin and three
 *       receivers at once: origin (1 hop), relay (2 hops), edge (3 hops).</li>
 *   <li><b>slt</b>: 1, 2 and 3 srt-live-transmit processes chained, one run per hop count (an slt
 *       listener serves one caller, so there is no tap in the middle of a chain), run twice: with
 *       srt-live-transmit's default {@code -sourcetime:yes} and with {@code -sourcetime:no}.</li>
 * </ul>
 * Latencies: publisher and viewer legs 120 ms (both sides ask for it), node-to-node legs 20 ms: the
 * Cascade defaults, and the same values on the slt legs.
 */
public final class LatencyBench {
    static final String USAGE = """
            LatencyBench [--seconds 28] [--warmup 3] [--early-until 10] [--steady-after 13] [--latency 120] [--inter-latency 20]
                         [--setups cascade,cascade-warm,slt,slt-no-srctime]
              --seconds   publish this long per run (the media is 30 s; at most 29)
              --warmup    ignore packets sent in the first seconds of each run (connection set-up, first GOP)
              --early-until, --steady-after
                          also report the samples sent before / after these times (s since the first packet)
                          separately: libsrt corrects each connection's TSBPD base by its measured drift
                          only after ~1000 ACKs (~10 s), so the first seconds differ from the steady state
              --setups    which setups to run, in order:
                          cascade         origin, relay, edge just started; taps at all three at once
                          cascade-warm    the same after an unmeasured 5 s stream through the same processes
                          slt             1, 2, 3 chained srt-live-transmit (its default -sourcetime:yes), one run each
                          slt-no-srctime  the same with -sourcetime:no
            """;

    private LatencyBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Bench.options(args, new LinkedHashMap<>(Map.of(
                "seconds", "28", "warmup", "3", "early-until", "10", "steady-after", "13", "latency", "120",
                "inter-latency", "20", "setups", "cascade,cascade-warm,slt,slt-no-srctime")), USAGE);
        double seconds = Math.min(29, Double.parseDouble(o.get("seconds")));
        double warmup = Double.parseDouble(o.get("warmup"));
        double earlyUntil = Double.parseDouble(o.get("early-until"));
        double steadyAfter = Double.parseDouble(o.get("steady-after"));
        int latency = Integer.parseInt(o.get("latency"));
        int inter = Integer.parseInt(o.get("inter-latency"));
        List<String> setups = List.of(o.get("setups").split(","));
        Instant started = Instant.now();
        String stamp = Bench.stamp(started);
        Map<String, Object> env = Bench.environment();

        Path media = Bench.media("latency-720p30-x264zl-2500k-aac-30s.ts", List.of(
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-t", "30", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-b:v", "2500k", "-maxrate", "2500k", "-bufsize", "1250k", "-g", "60",
                "-c:a", "aac", "-b:a", "128k"));
        TsFile file = TsFile.load(media);
        PacketIndex index = file.index();
        Bench.log("media %s: %d packets, %.2f Mbps, %.1f s by PCR (%d PCRs on PID %d), %d hashes ambiguous",
                media.getFileName(), file.packets, file.bitrate() / 1e6, file.durationNanos / 1e9, file.pcrCount,
                file.pcrPid, index.ambiguousHashes());
        if (seconds * 1e9 > file.durationNanos) {
            seconds = file.durationNanos / 1e9 - 0.5;
        }
        Settings st = new Settings(file, index, seconds, warmup, earlyUntil, steadyAfter, latency, inter);

        Map<String, Map<Integer, Tap>> results = new LinkedHashMap<>();
        Map<String, Object> setupInfo = new LinkedHashMap<>();
        int runNo = 0;
        for (String setup : setups) {
            switch (setup) {
                case "cascade", "cascade-warm" -> {
                    boolean warm = setup.equals("cascade-warm");
                    Bench.log("run %d: %s origin -> relay -> edge, taps at all three (%s%.0f s)", ++runNo, setup,
                            warm ? "after an unmeasured 5 s run through the same processes, " : "fresh processes, ", seconds);
                    results.put(setup, runCascade(st, stamp, setup, warm, setupInfo));
                }
                case "slt", "slt-no-srctime" -> {
                    boolean srctime = setup.equals("slt");
                    Map<Integer, Tap> byHops = new LinkedHashMap<>();
                    List<String> cmds = new ArrayList<>();
                    for (int hops = 1; hops <= 3; hops++) {
                        Bench.log("run %d: %d x srt-live-transmit (-sourcetime:%s) (%.0f s)", ++runNo, hops,
                                srctime ? "yes" : "no", seconds);
                        try (SltChain chain = SltChain.start(hops, latency, inter, srctime, "latency-" + setup + "-" + hops)) {
                            if (hops == 3) {
                                cmds.addAll(chain.commands);
                            }
                            Tap tap = new Tap(hops + " hop(s)", chain.outputPort, null);
                            runOnce(st, chain.inputPort, null, List.of(tap), () -> chain.alive());
                            byHops.put(hops, tap);
                        }
                    }
                    setupInfo.put(setup, Map.of("processes (3-hop chain)", cmds));
                    results.put(setup, byHops);
                }
                default -> throw new IllegalArgumentException("unknown setup " + setup + "\n" + USAGE);
            }
        }
        report(st, stamp, env, setups, results, setupInfo);
    }

    /**
     * Run settings. Times are seconds since the first packet: samples count from {@code warmup};
     * {@code earlyUntil} and {@code steadyAfter} split them into the first seconds of the connections
     * and the steady state (libsrt corrects each connection's TSBPD time base by its measured drift
     * only after about 1000 ACKs, some 10 s in; see the README).
     */
    record Settings(TsFile file, PacketIndex index, double seconds, double warmup, double earlyUntil,
            double steadyAfter, int latency, int inter) {}

    // ---------------------------------------------------------------- setups

    /**
     * Origin, relay and edge processes, one publisher, taps at all three. {@code warm}: first push a
     * 5 s stream (another name) through the same processes and drop it, so the measured connections
     * meet JIT-compiled handshake and packet code, as on a node that has been up for a while.
     */
    private static Map<Integer, Tap> runCascade(Settings st, String stamp, String setup, boolean warm,
            Map<String, Object> info) throws Exception {
        String tag = "latency-" + setup;
        try (CascadeNode origin = CascadeNode.start("origin", 0, tag);
                CascadeNode relay = CascadeNode.start("relay", origin.srtPort, tag);
                CascadeNode edge = CascadeNode.start("edge", relay.srtPort, tag)) {
            String name = "bench" + stamp.toLowerCase();
            if (warm) {
                String w = name + "warmup";
                runOnce(new Settings(st.file, st.index, 5, 0, 5, 5, st.latency, st.inter), origin.srtPort, SrtCaller.publish(w),
                        List.of(new Tap("origin", origin.srtPort, SrtCaller.request(w)),
                                new Tap("relay", relay.srtPort, SrtCaller.request(w)),
                                new Tap("edge", edge.srtPort, SrtCaller.request(w))),
                        () -> origin.alive() && relay.alive() && edge.alive());
                Bench.log("  (that was the warm-up; now the measured run)");
                name = name + "measured";
            }
            List<Tap> taps = List.of(
                    new Tap("origin", origin.srtPort, SrtCaller.request(name)),
                    new Tap("relay", relay.srtPort, SrtCaller.request(name)),
                    new Tap("edge", edge.srtPort, SrtCaller.request(name)));
            runOnce(st, origin.srtPort, SrtCaller.publish(name), taps,
                    () -> origin.alive() && relay.alive() && edge.alive());
            Map<String, Object> nodes = new LinkedHashMap<>();
            for (CascadeNode n : List.of(origin, relay, edge)) {
                Map<String, Double> m = n.metricTotals();
                Map<String, Object> x = new LinkedHashMap<>();
                for (String k : List.of("cascade_stream_packets_dropped_total", "cascade_srt_packets_lost_total",
                        "cascade_srt_packets_dropped_total", "cascade_srt_packets_retransmitted_total")) {
                    x.put(k, m.getOrDefault(k, 0.0));
                }
                x.put("command", n.commandLine());
                nodes.put(n.role, x);
            }
            info.put(setup, nodes);
            Map<Integer, Tap> out = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                out.put(i + 1, taps.get(i));
            }
            return out;
        }
    }

    /** One run: connect the receivers, then the publisher, publish for st.seconds, collect. */
    private static void runOnce(Settings st, int publishPort, String publishStreamId, List<Tap> taps,
            java.util.function.BooleanSupplier serversAlive) throws Exception {
        AtomicLongArray sendTimes = new AtomicLongArray(st.file.packets);
        int pub = -1;
        List<Thread> threads = new ArrayList<>();
        try {
            if (publishStreamId != null) {
                // Cascade: the stream must exist at the origin before anyone can request it there
                pub = SrtCaller.connect(publishPort, publishStreamId, st.latency, true, 0, 5000);
            }
            for (Tap t : taps) {
                t.socket = SrtCaller.connect(t.port, t.streamId, st.latency, true, 0, 5000);
            }
            if (pub < 0) {
                pub = SrtCaller.connect(publishPort, null, st.latency, true, 0, 5000);
            }
            Bench.sleep(500); // relay links and slt callers settle before the first packet
            long t0 = System.nanoTime() + 50_000_000L;
            long windowStart = t0 + (long) (st.warmup * 1e9);
            long windowEnd = t0 + (long) (st.seconds * 1e9);
            for (Tap t : taps) {
                t.prepare(st, sendTimes, t0, windowStart, windowEnd);
                Thread th = new Thread(t, "recv-" + t.label);
                th.setDaemon(true);
                th.start();
                threads.add(th);
            }
            Publisher p = new Publisher(pub, st.file, sendTimes, t0, windowEnd + 300_000_000L);
            Thread pt = new Thread(p, "publisher");
            pt.setDaemon(true);
            pt.setPriority(Thread.MAX_PRIORITY);
            pt.start();
            long nextProgress = t0 + 5_000_000_000L;
            while (pt.isAlive()) {
                pt.join(200);
                if (System.nanoTime() > nextProgress && pt.isAlive()) {
                    nextProgress += 5_000_000_000L;
                    StringBuilder sb = new StringBuilder();
                    for (Tap t : taps) {
                        sb.append(Bench.fmt("  %s: %d samples, last %.1f ms", t.label, t.count, t.lastLatencyNanos / 1e6));
                    }
                    Bench.log("  t=%.0fs%s", (System.nanoTime() - t0) / 1e9, sb);
                }
                if (!serversAlive.getAsBoolean()) {
                    throw new IllegalStateException("a server process died during the run; see " + Bench.logs());
                }
            }
            if (p.failed > 0) {
                Bench.log("  publisher: %d sends failed", p.failed);
            }
            Bench.sleep(1500); // the last packets are in flight for about the chain's latency
        } finally {
            for (Tap t : taps) {
                t.running = false;
            }
            for (Thread th : threads) {
                th.join(2000);
            }
            for (Tap t : taps) {
                if (t.socket >= 0) {
                    Srt.close(t.socket);
                }
            }
            if (pub >= 0) {
                Srt.close(pub);
            }
        }
        for (Tap t : taps) {
            t.finish(st, sendTimes);
            Percentiles pc = t.percentiles();
            Bench.log("  %-8s p50 %6.1f  p95 %6.1f  p99 %6.1f  max %6.1f ms; p50 first seconds %6.1f, steady %6.1f"
                            + "  (%d samples, %d missing, %d duplicates%s)", t.label, pc.ms(0.5), pc.ms(0.95), pc.ms(0.99),
                    pc.ms(1), t.percentiles(st.warmup, st.earlyUntil).ms(0.5),
                    t.percentiles(st.steadyAfter, st.seconds).ms(0.5), pc.count(), t.missing, t.duplicates,
                    t.broken ? ", CONNECTION BROKE" : "");
        }
    }

    // ---------------------------------------------------------------- publisher and receivers

    /** Sends the file's messages at their PCR times; records each packet's send time. */
    static final class Publisher implements Runnable {
        private final int socket;
        private final TsFile file;
        private final AtomicLongArray sendTimes;
        private final long t0;
        private final long stopAt;
        volatile long failed;

        Publisher(int socket, TsFile file, AtomicLongArray sendTimes, long t0, long stopAt) {
            this.socket = socket;
            this.file = file;
            this.sendTimes = sendTimes;
            this.t0 = t0;
            this.stopAt = stopAt;
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(TsFile.MESSAGE);
            long address = Srt.address(buf);
            for (int m = 0; m < file.messages; m++) {
                long due = t0 + file.dueNanos[m];
                if (due > stopAt) {
                    break;
                }
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                buf.put(0, file.data, m * TsFile.MESSAGE, TsFile.MESSAGE);
                long now = System.nanoTime();
                int first = m * TsFile.PACKETS_PER_MESSAGE;
                for (int k = 0; k < TsFile.PACKETS_PER_MESSAGE; k++) {
                    sendTimes.setRelease(first + k, now);
                }
                int n = Srt.send(socket, address, TsFile.MESSAGE);
                if (n <= 0) {
                    failed++;
                    if (n < 0) {
                        return;
                    }
                }
            }
        }
    }

    /** One receiver: an SRT caller at one point of a chain, recording per-packet latency. */
    static final class Tap implements Runnable {
        final String label;
        final int port;
        final String streamId;
        int socket = -1;
        volatile boolean running = true;
        private TsFile file;
        private PacketIndex index;
        private AtomicLongArray sendTimes;
        private long t0;
        private long windowStart;
        private long windowEnd;
        private BitSet seen;
        /** Per sample: send time (ns from t0) and latency (ns). */
        long[] sentAt;
        long[] latency;
        volatile int count;
        volatile long lastLatencyNanos;
        long packets;
        long unknown;
        long ambiguous;
        long duplicates;
        long missing;
        long inWindow;
        boolean broken;

        Tap(String label, int port, String streamId) {
            this.label = label;
            this.port = port;
            this.streamId = streamId;
        }

        void prepare(Settings st, AtomicLongArray sendTimes, long t0, long windowStart, long windowEnd) {
            this.file = st.file;
            this.index = st.index;
            this.sendTimes = sendTimes;
            this.t0 = t0;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            this.seen = new BitSet(st.file.packets);
            this.sentAt = new long[st.file.packets];
            this.latency = new long[st.file.packets];
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(1500);
            long address = Srt.address(buf);
            while (running) {
                int n = Srt.recv(socket, address, 1500);
                if (n <= 0) {
                    // the receive timeout (SRT_ETIMEOUT) also comes back as an error: only a socket that
                    // is no longer connected ends the tap
                    if (Srt.state(socket) != SrtConstants.SRTS_CONNECTED) {
                        broken = true;
                        return;
                    }
                    continue;
                }
                long now = System.nanoTime();
                int c = count;
                for (int off = 0; off + PacketHash.TS <= n; off += PacketHash.TS) {
                    packets++;
                    int i = index.get(PacketHash.of(buf, off));
                    if (i < 0) {
                        if (i == PacketIndex.AMBIGUOUS) {
                            ambiguous++;
                        } else {
                            unknown++;
                        }
                        continue;
                    }
                    if (seen.get(i)) {
                        duplicates++; // e.g. a GOP-cache copy: not a latency sample
                        continue;
                    }
                    seen.set(i);
                    long sent = sendTimes.getAcquire(i);
                    if (sent == 0 || sent < windowStart || sent >= windowEnd) {
                        continue;
                    }
                    sentAt[c] = sent - t0;
                    latency[c] = now - sent;
                    c++;
                }
                if (c > 0) {
                    lastLatencyNanos = latency[c - 1];
                }
                count = c;
            }
        }

        /** After the run: packets sent in the window, with a unique hash, that never arrived. */
        void finish(Settings st, AtomicLongArray sendTimes) {
            long miss = 0;
            long in = 0;
            ByteBuffer b = ByteBuffer.wrap(st.file.data);
            for (int i = 0; i < st.file.packets; i++) {
                long s = sendTimes.get(i);
                if (s == 0 || s < windowStart || s >= windowEnd) {
                    continue;
                }
                if (index.get(PacketHash.of(b, i * PacketHash.TS)) != i) {
                    continue; // ambiguous
                }
                in++;
                if (!seen.get(i)) {
                    miss++;
                }
            }
            missing = miss;
            inWindow = in;
        }

        Percentiles percentiles() {
            return new Percentiles(latency, count);
        }

        /** Percentiles of the samples sent between {@code fromS} and {@code toS} seconds after the first packet. */
        Percentiles percentiles(double fromS, double toS) {
            long from = (long) (fromS * 1e9);
            long to = (long) (toS * 1e9);
            long[] sel = new long[count];
            int n = 0;
            for (int i = 0; i < count; i++) {
                if (sentAt[i] >= from && sentAt[i] < to) {
                    sel[n++] = latency[i];
                }
            }
            return new Percentiles(sel, n);
        }

        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>(percentiles().summary());
            m.put("packetsReceived", packets);
            m.put("packetsExpectedInWindow", inWindow);
            m.put("packetsMissingInWindow", missing);
            m.put("duplicates", duplicates);
            m.put("ambiguousSkipped", ambiguous);
            m.put("unknown", unknown);
            m.put("connectionBroke", broken);
            return m;
        }
    }

    // ---------------------------------------------------------------- report

    private static void report(Settings st, String stamp, Map<String, Object> env, List<String> setups,
            Map<String, Map<Integer, Tap>> results, Map<String, Object> setupInfo) throws Exception {
        Path dir = Bench.results();
        Path json = dir.resolve("latency-" + stamp + ".json");
        Path png = dir.resolve("latency-" + stamp + ".png");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "latency");
        out.put("timestamp", stamp);
        out.put("command", Bench.command("bench/run latency"));
        out.put("environment", env);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("media", Map.of("file", st.file.path.getFileName().toString(), "mbps",
                Percentiles.round(st.file.bitrate() / 1e6), "seconds", Percentiles.round(st.file.durationNanos / 1e9),
                "packets", st.file.packets, "ambiguousHashes", st.index.ambiguousHashes(),
                "pacing", "PCR (linear between PCRs), 1316-byte messages"));
        cfg.put("publishSeconds", st.seconds);
        cfg.put("warmupSeconds", st.warmup);
        cfg.put("publisherAndViewerLatencyMs", st.latency);
        cfg.put("interNodeLatencyMs", st.inter);
        cfg.put("srtBudgetByHopsMs", Map.of(1, budgetMs(st, 1), 2, budgetMs(st, 2), 3, budgetMs(st, 3)));
        out.put("config", cfg);

        Map<String, Object> res = new LinkedHashMap<>();
        for (var e : results.entrySet()) {
            Map<String, Object> s = new LinkedHashMap<>();
            Map<String, Object> byHops = new LinkedHashMap<>();
            List<Double> added = new ArrayList<>();
            double prev = 0;
            for (var h : e.getValue().entrySet()) {
                Map<String, Object> sum = h.getValue().summary();
                Percentiles pc = h.getValue().percentiles();
                double p50 = pc.ms(0.5);
                double budget = budgetMs(st, h.getKey());
                sum.put("srtBudgetMs", budget);
                sum.put("p50AboveBudgetMs", Percentiles.round(p50 - budget));
                sum.put("p95AboveBudgetMs", Percentiles.round(pc.ms(0.95) - budget));
                sum.put("early", phase(h.getValue().percentiles(st.warmup, st.earlyUntil), budget,
                        st.warmup + "-" + st.earlyUntil + " s"));
                sum.put("steady", phase(h.getValue().percentiles(st.steadyAfter, st.seconds), budget,
                        st.steadyAfter + "-" + st.seconds + " s"));
                byHops.put(h.getKey() + (h.getKey() == 1 ? " hop" : " hops"), sum);
                added.add(Percentiles.round(p50 - prev));
                prev = p50;
            }
            s.put("byHops", byHops);
            s.put("addedP50MsPerHop", added);
            if (setupInfo.containsKey(e.getKey())) {
                s.put("details", setupInfo.get(e.getKey()));
            }
            res.put(e.getKey(), s);
        }
        out.put("results", res);

        // ratios: each Cascade setup over each srt-live-transmit setup, for the 3-hop chain
        Map<String, Object> ratios = new LinkedHashMap<>();
        String headline;
        for (String c : setups) {
            for (String b : setups) {
                if (!c.startsWith("cascade") || !b.startsWith("slt") || !results.containsKey(c) || !results.containsKey(b)) {
                    continue;
                }
                Tap ct = results.get(c).get(3);
                Tap bt = results.get(b).get(3);
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("whole window", ratio(ct.percentiles(), bt.percentiles()));
                r.put("early", ratio(ct.percentiles(st.warmup, st.earlyUntil), bt.percentiles(st.warmup, st.earlyUntil)));
                r.put("steady", ratio(ct.percentiles(st.steadyAfter, st.seconds), bt.percentiles(st.steadyAfter, st.seconds)));
                ratios.put(c + "/" + b, r);
            }
        }
        out.put("ratio3Hops", ratios);

        StringBuilder hl = new StringBuilder(Bench.fmt("p50/p95 ms for 1/2/3 hops, %.0f-%.0f s (steady state %.0f-%.0f s):",
                st.warmup, st.seconds, st.steadyAfter, st.seconds));
        for (String s : setups) {
            if (!results.containsKey(s)) {
                continue;
            }
            StringBuilder all = new StringBuilder();
            StringBuilder steady = new StringBuilder();
            for (var h : results.get(s).entrySet()) {
                Percentiles pc = h.getValue().percentiles();
                Percentiles ps = h.getValue().percentiles(st.steadyAfter, st.seconds);
                all.append(Bench.fmt("%s%.1f/%.1f", all.length() == 0 ? "" : ", ", pc.ms(0.5), pc.ms(0.95)));
                steady.append(Bench.fmt("%s%.1f/%.1f", steady.length() == 0 ? "" : ", ", ps.ms(0.5), ps.ms(0.95)));
            }
            hl.append(" **").append(s).append("** ").append(all).append(" (").append(steady).append(");");
        }
        for (var r : ratios.entrySet()) {
            if (!r.getKey().endsWith("/slt")) {
                continue; // the others are in the JSON
            }
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> v = (Map<String, Map<String, Object>>) r.getValue();
            hl.append(Bench.fmt(" 3 hops %s: %.2fx p50, %.2fx p95 (steady %.2fx, %.2fx);", r.getKey(),
                    v.get("whole window").get("p50"), v.get("whole window").get("p95"), v.get("steady").get("p50"),
                    v.get("steady").get("p95")));
        }
        headline = hl.toString().replaceAll(";$", "");
        out.put("headline", headline);

        plot(st, stamp, setups, results, png);
        out.put("plot", png.getFileName().toString());
        Bench.writeJson(json, out);
        Bench.appendResultRow("latency", Bench.command("bench/run latency"), headline, json, png);
        Bench.log("latency: %s", headline);
        Bench.log("wrote %s, %s and a row in %s", Bench.root().relativize(json), Bench.root().relativize(png),
                Bench.root().relativize(dir.resolve("README.md")));
    }

    private static Map<String, Object> ratio(Percentiles c, Percentiles b) {
        Map<String, Object> r = new LinkedHashMap<>();
        double r50 = c.ms(0.5) / b.ms(0.5);
        double r95 = c.ms(0.95) / b.ms(0.95);
        r.put("p50", Percentiles.round(r50));
        r.put("p95", Percentiles.round(r95));
        r.put("p99", Percentiles.round(c.ms(0.99) / b.ms(0.99)));
        r.put("withinGoal1.2x", r50 <= 1.2 && r95 <= 1.2);
        return r;
    }

    private static Map<String, Object> phase(Percentiles pc, double budget, String window) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", window);
        m.putAll(pc.summary());
        m.put("p50AboveBudgetMs", Percentiles.round(pc.ms(0.5) - budget));
        m.put("p95AboveBudgetMs", Percentiles.round(pc.ms(0.95) - budget));
        return m;
    }

    /** Sum of the SRT latencies on a path of {@code hops} forwarders: the TSBPD floor. */
    static double budgetMs(Settings st, int hops) {
        return 2.0 * st.latency + (hops - 1) * st.inter;
    }

    private static String fmtSeconds(double s) {
        return s == Math.rint(s) ? Integer.toString((int) s) : Double.toString(s);
    }

    /** Dark (p50, time series) and light (p95) colour of a setup. */
    private static String color(String setup, int shade) {
        String[] c = switch (setup) {
            case "cascade" -> new String[] {"#1f77b4", "#aec7e8"};
            case "cascade-warm" -> new String[] {"#9467bd", "#c5b0d5"};
            case "slt" -> new String[] {"#d62728", "#ff9896"};
            case "slt-no-srctime" -> new String[] {"#2ca02c", "#98df8a"};
            default -> new String[] {"#7f7f7f", "#c7c7c7"};
        };
        return c[shade];
    }

    private static final Map<String, String> TITLES = Map.of(
            "cascade", "Cascade (origin, relay, edge), fresh processes",
            "cascade-warm", "Cascade, processes warmed by an earlier stream",
            "slt", "srt-live-transmit chain (default -sourcetime:yes)",
            "slt-no-srctime", "srt-live-transmit chain (-sourcetime:no)");

    private static void plot(Settings st, String stamp, List<String> setups, Map<String, Map<Integer, Tap>> results,
            Path png) throws IOException, InterruptedException {
        Path tmp = Bench.tmp();
        List<String> series = new ArrayList<>();
        for (String s : setups) {
            Tap t = results.containsKey(s) ? results.get(s).get(3) : null;
            if (t == null) {
                continue;
            }
            Path dat = tmp.resolve("latency-" + stamp + "-" + s + "-3hops.dat");
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dat))) {
                long prev = Long.MIN_VALUE;
                for (int i = 0; i < t.count; i++) {
                    if (t.sentAt[i] == prev) {
                        continue; // the other packets of the same message: same point
                    }
                    prev = t.sentAt[i];
                    w.printf(java.util.Locale.ROOT, "%.4f %.3f%n", t.sentAt[i] / 1e9, t.latency[i] / 1e6);
                }
            }
            series.add(Bench.fmt("'%s' using 1:2 with points pt 7 ps 0.3 lc rgb '%s' title '%s'", dat, color(s, 0),
                    TITLES.getOrDefault(s, s)));
        }
        // bars: absolute p50/p95, and the same minus the sum of the SRT latencies on the path (the
        // TSBPD budget every SRT leg imposes), which is the part a forwarder adds
        Path bars = tmp.resolve("latency-" + stamp + "-bars.dat");
        List<String> barCols = new ArrayList<>();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(bars))) {
            w.print("# hops");
            for (String s : setups) {
                if (results.containsKey(s)) {
                    w.print(" " + s + "_p50 " + s + "_p95 " + s + "_early_p50_over " + s + "_steady_p50_over");
                    barCols.add(s);
                }
            }
            w.println();
            for (int h = 1; h <= 3; h++) {
                w.print(h == 1 ? "\"1 hop\"" : "\"" + h + " hops\"");
                double budget = budgetMs(st, h);
                for (String s : barCols) {
                    Tap t = results.get(s).get(h);
                    Percentiles pc = t.percentiles();
                    w.printf(java.util.Locale.ROOT, " %.2f %.2f %.2f %.2f", pc.ms(0.5), pc.ms(0.95),
                            t.percentiles(st.warmup, st.earlyUntil).ms(0.5) - budget,
                            t.percentiles(st.steadyAfter, st.seconds).ms(0.5) - budget);
                }
                w.println();
            }
        }
        List<String> absPlots = new ArrayList<>();
        List<String> overPlots = new ArrayList<>();
        for (int i = 0; i < barCols.size(); i++) {
            String s = barCols.get(i);
            String c50 = color(s, 0);
            String c95 = color(s, 1);
            absPlots.add(Bench.fmt("%s using %d:xtic(1) lc rgb '%s' title '%s p50'", i == 0 ? "'" + bars + "'" : "''",
                    2 + 4 * i, c50, s));
            absPlots.add(Bench.fmt("'' using %d lc rgb '%s' title '%s p95'", 3 + 4 * i, c95, s));
            overPlots.add(Bench.fmt("%s using %d:xtic(1) lc rgb '%s' title '%s, first seconds'",
                    i == 0 ? "'" + bars + "'" : "''", 4 + 4 * i, c50, s));
            overPlots.add(Bench.fmt("'' using %d lc rgb '%s' title '%s, steady state'", 5 + 4 * i, c95, s));
        }
        double budget3 = budgetMs(st, 3);
        Path gp = tmp.resolve("latency-" + stamp + ".gp");
        Files.writeString(gp, String.join("\n",
                "set terminal pngcairo size 1400,1500 font 'sans,11' noenhanced",
                "set output '" + png + "'",
                "set multiplot layout 3,1 title 'Cascade latency benchmark " + stamp + ": publisher -> receiver over SRT, "
                        + st.latency + " ms publisher/viewer legs, " + st.inter + " ms node-to-node legs'",
                "set title 'Per-packet latency through 3 hops (after " + fmtSeconds(st.warmup)
                        + " s warm-up); dashed: sum of the SRT latencies on the path (" + (int) budget3 + " ms)'",
                "set xlabel 'time since first packet (s)'",
                "set ylabel 'latency (ms)'",
                "set grid",
                "set key top right box opaque",
                "set yrange [" + (int) (budget3 - 5) + ":*]",
                "set arrow 1 from " + st.earlyUntil + ", graph 0 to " + st.earlyUntil + ", graph 1 nohead dt 3 lc rgb '#999999'",
                "set arrow 2 from " + st.steadyAfter + ", graph 0 to " + st.steadyAfter + ", graph 1 nohead dt 3 lc rgb '#999999'",
                "set label 1 'first seconds' at " + ((st.warmup + st.earlyUntil) / 2) + ", graph 0.04 center",
                "set label 2 'steady state' at " + ((st.steadyAfter + st.seconds) / 2) + ", graph 0.04 center",
                "plot " + String.join(", ", series) + ", " + budget3 + " with lines dt 2 lc rgb 'black' notitle",
                "unset arrow", "unset label",
                "set title 'p50 and p95 latency by number of hops (" + fmtSeconds(st.warmup) + "-" + fmtSeconds(st.seconds) + " s)'",
                "unset xlabel",
                "set ylabel 'latency (ms)'",
                "set style data histograms",
                "set style histogram clustered gap 1",
                "set style fill solid 0.9 border -1",
                "set boxwidth 0.9",
                "set key top left box opaque",
                "set yrange [0:*]",
                "plot " + String.join(", ", absPlots),
                "set title 'p50 above the sum of the SRT latencies on the path (1 hop " + (int) budgetMs(st, 1)
                        + ", 2 hops " + (int) budgetMs(st, 2) + ", 3 hops " + (int) budget3 + " ms): first seconds ("
                        + fmtSeconds(st.warmup) + "-" + fmtSeconds(st.earlyUntil) + " s) and steady state ("
                        + fmtSeconds(st.steadyAfter) + "-" + fmtSeconds(st.seconds) + " s)'",
                "set ylabel 'ms above the SRT budget'",
                "set yrange [0:*]",
                "plot " + String.join(", ", overPlots),
                "unset multiplot", ""));
        Bench.gnuplot(gp);
    }
}
