package dev.cascade.bench;

import dev.cascade.node.srt.Srt;
import dev.cascade.node.srt.SrtStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Aggregate throughput through one relay: N streams of ~5 Mbps, N stepped up until loss appears, the
 * machine's cores saturate, or the cap.
 *
 * <p>An origin and a relay process; N publishers push a 5 Mbps CBR TS (made once with ffmpeg,
 * looped) to the origin; one SRT puller per stream at the relay, so the relay pulls every stream
 * from the origin and serves it once: N x 5 Mbps in and out. Each step holds for a settle time and
 * a measurement window; per step it reports the Mbps the pullers received, loss (application
 * bytes, libsrt counters at both ends, the nodes' /metrics), and the CPU time of the relay, the
 * origin, this load generator and the whole machine from /proc.
 *
 * <p>The load generator is cheap on purpose: one thread paces all publishers (byte-rate pacing
 * from the file's PCR rate, 1 ms ticks, non-blocking sends straight from one direct buffer holding
 * the file), one thread polls all pullers (non-blocking receives into one buffer, counters only),
 * and all publishers share one libsrt multiplexer (one UDP port, one send and one receive thread),
 * all pullers another, the way a server's accepted sockets share its listener's.
 */
public final class ThroughputBench {
    static final String USAGE = """
            ThroughputBench [--steps 1,2,4,8,12,16,24,32,40,48,64] [--settle 3] [--hold 10]
                            [--max-seconds 300] [--saturation 90] [--loss-threshold 0.005]
              --steps           stream counts to try, in order (5 Mbps each)
              --settle          seconds after adding streams before measuring (pullers start at a keyframe)
              --hold            seconds of measurement per step
              --max-seconds     stop stepping after this long (the step in progress finishes)
              --saturation      stop after a step where the machine is busier than this % of all cores
              --loss-threshold  a step whose pullers got less than (1 - this) of what was sent counts as loss
            """;

    /** SRT latency of the publishers and pullers (the node's publisher/viewer default). */
    static final int LATENCY_MS = 120;
    /** A window in which processes other than ours used more than this (% of one core) is measured again. */
    static final double DISTURBED_PCT = 30;

    private ThroughputBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = Bench.options(args, new LinkedHashMap<>(Map.of(
                "steps", "1,2,4,8,12,16,24,32,40,48,64", "settle", "3", "hold", "10", "max-seconds", "300",
                "saturation", "90", "loss-threshold", "0.005")), USAGE);
        int[] steps = java.util.Arrays.stream(o.get("steps").split(",")).mapToInt(Integer::parseInt).toArray();
        double settle = Double.parseDouble(o.get("settle"));
        double hold = Double.parseDouble(o.get("hold"));
        double maxSeconds = Double.parseDouble(o.get("max-seconds"));
        double saturation = Double.parseDouble(o.get("saturation"));
        double lossThreshold = Double.parseDouble(o.get("loss-threshold"));
        Instant started = Instant.now();
        String stamp = Bench.stamp(started);
        Map<String, Object> env = Bench.environment();

        Path media = Bench.media("throughput-720p30-x264-cbr-5000k-20s.ts", List.of(
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-t", "20", "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
                "-b:v", "4500k", "-minrate", "4500k", "-maxrate", "4500k", "-bufsize", "2250k",
                "-x264-params", "nal-hrd=cbr", "-g", "60", "-c:a", "aac", "-b:a", "128k", "-muxrate", "5000k"));
        TsFile file = TsFile.load(media);
        Bench.log("media %s: %.2f Mbps, %.1f s (looped)", media.getFileName(), file.bitrate() / 1e6,
                file.durationNanos / 1e9);

        // what else is using the machine before we start (another build, a forgotten process)
        long[] m0 = ProcCpu.machine();
        Bench.sleep(1000);
        long[] m1 = ProcCpu.machine();
        double backgroundBusy = pct(m1[0] - m0[0], m1[1] - m0[1]);
        Bench.log("machine busy before the run: %.0f%% of %d cores", backgroundBusy,
                Runtime.getRuntime().availableProcessors());

        List<Map<String, Object>> results = new ArrayList<>();
        String stopReason = "all steps done";
        Generator gen = new Generator(file);
        try (CascadeNode origin = CascadeNode.start("origin", 0, "throughput");
                CascadeNode relay = CascadeNode.start("relay", origin.srtPort, "throughput")) {
            gen.start();
            long runStart = System.nanoTime();
            for (int n : steps) {
                if ((System.nanoTime() - runStart) / 1e9 > maxSeconds) {
                    stopReason = "time budget (" + maxSeconds + " s) used";
                    break;
                }
                gen.growTo(n, origin.srtPort, relay.srtPort, stamp);
                Bench.sleep((long) (settle * 1000));
                Map<String, Object> r;
                int attempts = 0;
                while (true) {
                    r = measure(gen, origin, relay, n, hold, file.bitrate(), lossThreshold);
                    attempts++;
                    double other = (Double) r.get("otherProcessesCpuPct");
                    if (other <= DISTURBED_PCT || attempts >= 3) {
                        break;
                    }
                    Bench.log("N=%2d  disturbed: other processes took %.0f%% of a core during the window; measuring again",
                            n, other);
                    Bench.sleep(2000);
                }
                r.put("attempts", attempts);
                r.put("disturbedByOtherProcesses", (Double) r.get("otherProcessesCpuPct") > DISTURBED_PCT);
                results.add(r);
                boolean loss = (Boolean) r.get("loss");
                double busy = (Double) r.get("machineBusyPct");
                Bench.log("N=%2d  %6.1f Mbps received (%.4f of sent)  CPU %% of a core: relay %5.1f  origin %5.1f"
                                + "  generator %5.1f  kernel/unattributed %4.1f  other processes %4.1f  (machine %3.0f%% busy)  %s",
                        n, r.get("receivedMbps"), r.get("deliveredRatio"), r.get("relayCpuPct"), r.get("originCpuPct"),
                        r.get("generatorCpuPct"), r.get("unattributedCpuPct"), r.get("otherProcessesCpuPct"), busy,
                        loss ? "LOSS " + r.get("lossDetail") : "no loss");
                if (!origin.alive() || !relay.alive()) {
                    stopReason = "a node process died";
                    break;
                }
                if (loss) {
                    stopReason = "loss at N=" + n;
                    break;
                }
                if (busy >= saturation) {
                    stopReason = Bench.fmt("machine saturated at N=%d (%.0f%% busy >= %.0f%%)", n, busy, saturation);
                    break;
                }
            }
        } finally {
            gen.close();
        }
        report(stamp, env, file, o, backgroundBusy, stopReason, results);
    }

    private static double pct(long part, long whole) {
        return whole <= 0 ? 0 : 100.0 * part / whole;
    }

    // ---------------------------------------------------------------- one step

    private static Map<String, Object> measure(Generator gen, CascadeNode origin, CascadeNode relay, int n, double hold,
            double fileBps, double lossThreshold) throws IOException {
        // The pullers get what was sent about one chain latency later (120 + 20 + 120 ms of SRT
        // latency): read their counters that much later than the publishers' so both cover the same packets.
        long shiftMs = 2L * LATENCY_MS + 20 + 10;
        Map<String, Double> relay0 = relay.metricTotals();
        Map<String, Double> origin0 = origin.metricTotals();
        Counters g0 = gen.counters();
        double relayCpu0 = ProcCpu.processSeconds(relay.pid());
        double originCpu0 = ProcCpu.processSeconds(origin.pid());
        double selfCpu0 = ProcCpu.processSeconds(ProcessHandle.current().pid());
        long[] mach0 = ProcCpu.machine();
        Map<Long, Double> all0 = ProcCpu.allProcesses();
        long t0 = System.nanoTime();
        long sent0 = gen.sentBytes();
        Bench.sleep(shiftMs);
        long recv0 = gen.receivedBytes();
        long deadline = t0 + (long) (hold * 1e9);
        while (System.nanoTime() < deadline) {
            Bench.sleep(Math.min(1000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
        long sent1 = gen.sentBytes();
        long t1 = System.nanoTime();
        double relayCpu1 = ProcCpu.processSeconds(relay.pid());
        double originCpu1 = ProcCpu.processSeconds(origin.pid());
        double selfCpu1 = ProcCpu.processSeconds(ProcessHandle.current().pid());
        long[] mach1 = ProcCpu.machine();
        Map<Long, Double> all1 = ProcCpu.allProcesses();
        Bench.sleep(shiftMs);
        long recv1 = gen.receivedBytes();
        Bench.sleep(1100); // the nodes sample libsrt statistics once a second
        Counters g1 = gen.counters();
        Map<String, Double> relay1 = relay.metricTotals();
        Map<String, Double> origin1 = origin.metricTotals();

        double wall = (t1 - t0) / 1e9;
        double sentBytes = sent1 - sent0;
        double recvBytes = recv1 - recv0;
        double receivedMbps = recvBytes * 8 / wall / 1e6;
        double delivered = sentBytes > 0 ? recvBytes / sentBytes : 0;
        double relayCpuPct = (relayCpu1 - relayCpu0) / wall * 100;
        double originCpuPct = (originCpu1 - originCpu0) / wall * 100;
        double selfCpuPct = (selfCpu1 - selfCpu0) / wall * 100;
        double machineBusyPct = pct(mach1[0] - mach0[0], mach1[1] - mach0[1]);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("streams", n);
        r.put("offeredMbps", round(n * fileBps / 1e6));
        r.put("windowSeconds", round(wall));
        r.put("sentMbps", round(sentBytes * 8 / wall / 1e6));
        r.put("receivedMbps", round(receivedMbps));
        r.put("deliveredRatio", Math.round(delivered * 10000) / 10000.0);
        r.put("relayCpuPct", round(relayCpuPct));
        r.put("relayCpuPctPer100Mbps", round(receivedMbps > 0 ? relayCpuPct / (receivedMbps / 100) : 0));
        r.put("originCpuPct", round(originCpuPct));
        r.put("originCpuPctPer100Mbps", round(receivedMbps > 0 ? originCpuPct / (receivedMbps / 100) : 0));
        r.put("generatorCpuPct", round(selfCpuPct));
        r.put("machineBusyPct", round(machineBusyPct));
        // CPU of other processes (a build, a test run): if large, the step was disturbed. What no process
        // is charged for is mostly the kernel's loopback UDP work (softirq) for our own traffic.
        int cores = Runtime.getRuntime().availableProcessors();
        double otherPct = ProcCpu.othersSeconds(all0, all1, java.util.Set.of(relay.pid(), origin.pid(),
                ProcessHandle.current().pid())) / wall * 100;
        r.put("otherProcessesCpuPct", round(otherPct));
        r.put("unattributedCpuPct", round(Math.max(0,
                machineBusyPct * cores - relayCpuPct - originCpuPct - selfCpuPct - otherPct)));

        Map<String, Object> lossDetail = new LinkedHashMap<>();
        long sendRefused = g1.sendRefused - g0.sendRefused;
        long pubSndDrop = g1.pubSndDrop - g0.pubSndDrop;
        long subRcvDrop = g1.subRcvDrop - g0.subRcvDrop;
        lossDetail.put("publisherSendsRefused", sendRefused);
        lossDetail.put("publisherSrtDropped", pubSndDrop);
        lossDetail.put("pullerSrtDropped", subRcvDrop);
        lossDetail.put("connectionsBroken", g1.broken);
        long nodeDrops = 0;
        for (String k : List.of("cascade_srt_packets_dropped_total", "cascade_stream_packets_dropped_total")) {
            long rd = delta(relay0, relay1, k);
            long od = delta(origin0, origin1, k);
            lossDetail.put("relay " + k, rd);
            lossDetail.put("origin " + k, od);
            nodeDrops += rd + od;
        }
        Map<String, Object> recovered = new LinkedHashMap<>();
        recovered.put("publisherSrtLost", g1.pubSndLost - g0.pubSndLost);
        recovered.put("pullerSrtLost", g1.subRcvLost - g0.subRcvLost);
        recovered.put("relay cascade_srt_packets_lost_total", delta(relay0, relay1, "cascade_srt_packets_lost_total"));
        recovered.put("origin cascade_srt_packets_lost_total", delta(origin0, origin1, "cascade_srt_packets_lost_total"));
        recovered.put("relay cascade_srt_packets_retransmitted_total",
                delta(relay0, relay1, "cascade_srt_packets_retransmitted_total"));
        boolean loss = sendRefused > 0 || pubSndDrop > 0 || subRcvDrop > 0 || g1.broken > 0 || nodeDrops > 0
                || delivered < 1 - lossThreshold;
        r.put("loss", loss);
        r.put("lossDetail", lossDetail);
        r.put("srtLossRecoveredByRetransmission", recovered);
        return r;
    }

    private static long delta(Map<String, Double> a, Map<String, Double> b, String k) {
        return Math.round(b.getOrDefault(k, 0.0) - a.getOrDefault(k, 0.0));
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    // ---------------------------------------------------------------- load generator

    /** Totals over all streams, read from libsrt's statistics of the generator's own sockets. */
    record Counters(long sendRefused, long pubSndDrop, long pubSndLost, long subRcvDrop, long subRcvLost, long broken) {}

    /** One publisher and its puller. Counters are written by one thread each, read by the main thread. */
    static final class Stream {
        final String name;
        int pub = -1;
        volatile int sub = -1;
        long startNanos;
        int message;
        volatile long offeredBytes;
        volatile long sentBytes;
        volatile long refused;
        volatile long receivedBytes;
        volatile boolean pubBroken;
        volatile boolean subBroken;
        final SrtStats pubStats = new SrtStats();
        final SrtStats subStats = new SrtStats();

        Stream(String name) {
            this.name = name;
        }
    }

    static final class Generator implements AutoCloseable {
        private final TsFile file;
        private final ByteBuffer fileBuffer;
        private final long fileAddress;
        private final double bytesPerNano;
        private final int pubPort = Ports.free();
        private final int subPort = Ports.free();
        private volatile Stream[] streams = new Stream[0];
        private volatile boolean running = true;
        private Thread sender;
        private Thread receiver;
        private final ByteBuffer statsScratch = ByteBuffer.allocateDirect(1024);
        private final long statsAddress = Srt.address(statsScratch);

        Generator(TsFile file) {
            this.file = file;
            this.fileBuffer = ByteBuffer.allocateDirect(file.data.length);
            this.fileBuffer.put(0, file.data);
            this.fileAddress = Srt.address(fileBuffer);
            this.bytesPerNano = file.bitrate() / 8 / 1e9;
        }

        void start() {
            sender = new Thread(this::sendLoop, "gen-send");
            receiver = new Thread(this::receiveLoop, "gen-recv");
            sender.setDaemon(true);
            receiver.setDaemon(true);
            sender.start();
            receiver.start();
        }

        /** Adds streams until there are {@code n}: publisher to the origin first, then a puller at the relay. */
        void growTo(int n, int originPort, int relayPort, String stamp) {
            Stream[] cur = streams;
            if (n <= cur.length) {
                return;
            }
            Stream[] next = java.util.Arrays.copyOf(cur, n);
            for (int i = cur.length; i < n; i++) {
                Stream s = new Stream("tput" + stamp.toLowerCase() + "s" + i);
                s.pub = SrtCaller.connect(originPort, SrtCaller.publish(s.name), LATENCY_MS, false, pubPort, 5000);
                // start each stream at a different point of the file, so keyframes do not line up
                s.message = (int) ((long) i * 7919 % file.messages);
                s.startNanos = System.nanoTime();
                next[i] = s;
            }
            streams = next; // the sender starts pacing the new publishers now
            for (int i = cur.length; i < n; i++) {
                Stream s = next[i];
                s.sub = SrtCaller.connect(relayPort, SrtCaller.request(s.name), LATENCY_MS, false, subPort, 5000);
            }
        }

        private void sendLoop() {
            int msgs = file.messages;
            while (running) {
                long now = System.nanoTime();
                Stream[] ss = streams;
                for (Stream s : ss) {
                    if (s.pubBroken) {
                        continue;
                    }
                    long due = (long) ((now - s.startNanos) * bytesPerNano);
                    long offered = s.offeredBytes;
                    long sent = s.sentBytes;
                    long refused = s.refused;
                    int burst = 0;
                    while (offered + TsFile.MESSAGE <= due && burst++ < 64) {
                        int r = Srt.send(s.pub, fileAddress + (long) s.message * TsFile.MESSAGE, TsFile.MESSAGE);
                        offered += TsFile.MESSAGE;
                        if (r > 0) {
                            sent += TsFile.MESSAGE;
                        } else if (r == 0) {
                            refused++; // libsrt's send buffer is full: a live encoder would drop it too
                        } else {
                            s.pubBroken = true;
                            break;
                        }
                        if (++s.message == msgs) {
                            s.message = 0;
                        }
                    }
                    s.offeredBytes = offered;
                    s.sentBytes = sent;
                    s.refused = refused;
                }
                LockSupport.parkNanos(1_000_000);
            }
        }

        private void receiveLoop() {
            ByteBuffer buf = ByteBuffer.allocateDirect(1500);
            long address = Srt.address(buf);
            while (running) {
                Stream[] ss = streams;
                for (Stream s : ss) {
                    if (s.sub < 0 || s.subBroken) {
                        continue;
                    }
                    long got = 0;
                    int n;
                    while ((n = Srt.recv(s.sub, address, 1500)) > 0) {
                        got += n;
                    }
                    if (n < 0) {
                        s.subBroken = true;
                    }
                    if (got > 0) {
                        s.receivedBytes += got;
                    }
                }
                LockSupport.parkNanos(1_000_000);
            }
        }

        long sentBytes() {
            long t = 0;
            for (Stream s : streams) {
                t += s.sentBytes;
            }
            return t;
        }

        long receivedBytes() {
            long t = 0;
            for (Stream s : streams) {
                t += s.receivedBytes;
            }
            return t;
        }

        /** Main thread only (it owns the statistics scratch buffer). */
        Counters counters() {
            long refused = 0;
            long pubDrop = 0;
            long pubLost = 0;
            long subDrop = 0;
            long subLost = 0;
            long broken = 0;
            for (Stream s : streams) {
                refused += s.refused;
                if (s.pubStats.read(s.pub, statsScratch, statsAddress)) {
                    pubDrop += s.pubStats.packetsSendDropped;
                    pubLost += s.pubStats.packetsSendLost;
                }
                if (s.sub >= 0 && s.subStats.read(s.sub, statsScratch, statsAddress)) {
                    subDrop += s.subStats.packetsReceiveDropped;
                    subLost += s.subStats.packetsReceiveLost;
                }
                broken += (s.pubBroken ? 1 : 0) + (s.subBroken ? 1 : 0);
            }
            return new Counters(refused, pubDrop, pubLost, subDrop, subLost, broken);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            if (sender != null) {
                sender.join(2000);
                receiver.join(2000);
            }
            for (Stream s : streams) {
                if (s.sub >= 0) {
                    Srt.close(s.sub);
                }
                if (s.pub >= 0) {
                    Srt.close(s.pub);
                }
            }
        }
    }

    // ---------------------------------------------------------------- report

    private static void report(String stamp, Map<String, Object> env, TsFile file, Map<String, String> opts,
            double backgroundBusy, String stopReason, List<Map<String, Object>> steps) throws Exception {
        Path dir = Bench.results();
        Path json = dir.resolve("throughput-" + stamp + ".json");
        Path png = dir.resolve("throughput-" + stamp + ".png");
        Map<String, Object> best = null;
        Map<String, Object> firstLoss = null;
        for (Map<String, Object> s : steps) {
            if ((Boolean) s.get("loss")) {
                firstLoss = s;
                break;
            }
            best = s;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", "throughput");
        out.put("timestamp", stamp);
        out.put("command", Bench.command("bench/run throughput"));
        out.put("environment", env);
        Map<String, Object> cfg = new LinkedHashMap<>(opts);
        cfg.put("media", Map.of("file", file.path.getFileName().toString(), "mbps", round(file.bitrate() / 1e6),
                "seconds", round(file.durationNanos / 1e9), "pacing", "byte rate from the PCR, 1 ms ticks, looped"));
        cfg.put("srtLatencyMs", Map.of("publishersAndPullers", LATENCY_MS, "originToRelay", "node default (20)"));
        cfg.put("machineBusyBeforeRunPct", round(backgroundBusy));
        out.put("config", cfg);
        out.put("stopReason", stopReason);
        Map<String, Object> head = new LinkedHashMap<>();
        String headline;
        if (best != null) {
            head.put("maxStreamsWithoutLoss", best.get("streams"));
            head.put("receivedMbps", best.get("receivedMbps"));
            head.put("relayCpuPct", best.get("relayCpuPct"));
            head.put("relayCpuPctPer100Mbps", best.get("relayCpuPctPer100Mbps"));
            head.put("machineBusyPct", best.get("machineBusyPct"));
            headline = Bench.fmt("%s streams x 5 Mbps without loss: %.1f Mbps through the relay, relay CPU %.1f%% of a core"
                            + " = %.1f%% per 100 Mbps; stopped: %s", best.get("streams"), best.get("receivedMbps"),
                    best.get("relayCpuPct"), best.get("relayCpuPctPer100Mbps"), stopReason);
        } else {
            headline = "loss from the first step; stopped: " + stopReason;
        }
        if (firstLoss != null) {
            head.put("firstStepWithLoss", firstLoss.get("streams"));
        }
        out.put("headline", headline);
        out.put("summary", head);
        out.put("steps", steps);
        plot(stamp, steps, png);
        out.put("plot", png.getFileName().toString());
        Bench.writeJson(json, out);
        Bench.appendResultRow("throughput", Bench.command("bench/run throughput"), headline, json, png);
        Bench.log("throughput: %s", headline);
        Bench.log("wrote %s, %s and a row in %s", Bench.root().relativize(json), Bench.root().relativize(png),
                Bench.root().relativize(dir.resolve("README.md")));
    }

    private static void plot(String stamp, List<Map<String, Object>> steps, Path png)
            throws IOException, InterruptedException {
        Path dat = Bench.tmp().resolve("throughput-" + stamp + ".dat");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dat))) {
            w.println("# streams receivedMbps relayCpuPct originCpuPct generatorCpuPct machineBusyPct(of all cores)"
                    + " relayCpuPer100Mbps originCpuPer100Mbps loss offeredMbps otherProcessesCpuPct");
            for (Map<String, Object> s : steps) {
                w.printf(java.util.Locale.ROOT, "%d %.2f %.2f %.2f %.2f %.2f %.2f %.2f %d %.2f %.2f%n", s.get("streams"),
                        s.get("receivedMbps"), s.get("relayCpuPct"), s.get("originCpuPct"), s.get("generatorCpuPct"),
                        s.get("machineBusyPct"), s.get("relayCpuPctPer100Mbps"), s.get("originCpuPctPer100Mbps"),
                        (Boolean) s.get("loss") ? 1 : 0, s.get("offeredMbps"), s.get("otherProcessesCpuPct"));
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Path gp = Bench.tmp().resolve("throughput-" + stamp + ".gp");
        Files.writeString(gp, String.join("\n",
                "set terminal pngcairo size 1400,1100 font 'sans,11' noenhanced",
                "set output '" + png + "'",
                "set multiplot layout 2,1 title 'Cascade throughput benchmark " + stamp
                        + ": N publishers x 5 Mbps -> origin -> relay -> N pullers (" + cores + " cores shared with the load generator)'",
                "set title 'Aggregate Mbps received by the pullers (left) and CPU (right, % of one core); red x: step with loss'",
                "set xlabel 'streams (N)'",
                "set ylabel 'Mbps'",
                "set y2label 'CPU % of one core'",
                "set ytics nomirror",
                "set y2tics",
                "set yrange [0:*]",
                "set y2range [0:" + (cores * 100 + 10) + "]",
                "set grid",
                "set key top left box opaque",
                "plot '" + dat + "' using 1:10 with lines dt 2 lc rgb '#7f7f7f' title 'offered Mbps (N x 5)', "
                        + "'' using 1:2 with linespoints pt 7 lw 2 lc rgb '#1f77b4' title 'received Mbps', "
                        + "'' using 1:3 axes x1y2 with linespoints pt 5 lw 2 lc rgb '#d62728' title 'relay CPU %', "
                        + "'' using 1:4 axes x1y2 with linespoints pt 4 lc rgb '#ff7f0e' title 'origin CPU %', "
                        + "'' using 1:5 axes x1y2 with linespoints pt 6 lc rgb '#2ca02c' title 'load generator CPU %', "
                        + "'' using 1:($6*" + cores + ") axes x1y2 with linespoints pt 3 lc rgb '#7f7f7f' title 'whole machine CPU % (max "
                        + cores * 100 + ")', "
                        + "'' using 1:11 axes x1y2 with linespoints pt 1 dt 3 lc rgb '#bcbd22' title 'other processes CPU %', "
                        + "'' using 1:($9 > 0 ? $2 : 1/0) with points pt 2 ps 3 lw 3 lc rgb 'red' notitle",
                "set title 'CPU per 100 Mbps through the relay (% of one core)'",
                "unset y2label",
                "unset y2tics",
                "set ytics mirror",
                "set ylabel 'CPU % per 100 Mbps'",
                "set yrange [0:*]",
                "plot '" + dat + "' using 1:7 with linespoints pt 5 lw 2 lc rgb '#d62728' title 'relay', "
                        + "'' using 1:8 with linespoints pt 4 lw 2 lc rgb '#ff7f0e' title 'origin'",
                "unset multiplot", ""));
        Bench.gnuplot(gp);
    }
}
