package dev.cascade.bench;

import dev.cascade.client.PeerLoop;
import dev.cascade.client.TrackReceiver;
import dev.cascade.client.WebRtcPeer;
import dev.cascade.webrtc.DtlsCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * Viewers per server core: real WebRTC viewers (our Java peer: ICE, DTLS 1.2, SRTP, receiver
 * reports, REMB, NACK, consent checks) are added in steps to one server pinned to one CPU, until
 * loss passes the limit or delay grows past its limit. Run against Cascade's edge (WHEP) and
 * against Janus's streaming plugin (its HTTP API), fed the same file: H.264 + Opus at each bitrate.
 *
 * <p>The machine has two cores: the server gets one ({@code taskset}), and everything else, the
 * viewers, the publisher and Cascade's origin, the other. Each step is measured after a settling
 * pause: loss = packets never received (after NACK) over packets expected, from the RTP sequence
 * numbers of every viewer; delay = how far each viewer's arrival time drifted above its own
 * smallest (arrival - media time), the p95 over viewers of the worst in the window; server CPU from
 * /proc. The viewer process checks itself: datagrams the kernel dropped at its sockets
 * (RcvbufErrors) mean the load tool, not the server, is the limit, and the step says so.
 */
public final class ViewersBench {
    static final String USAGE = """
            bench/run viewers [options]
              --targets cascade,janus   servers to measure
              --bitrates 600,2500       video kbps of the stream (Opus audio adds 64)
              --step 200                viewers added per step
              --max 4000                stop after this many viewers
              --settle 3                seconds after a step before measuring
              --hold 8                  seconds measured per step
              --loss-limit 0.5          percent of packets lost that ends the ramp
              --delay-limit 250         ms of p95 delay growth that ends the ramp
              --verify-every 64         authenticate and decrypt one packet in N per viewer
              --server-cpu 1            CPU the server is pinned to (the rest run on the others)
              --janus-event-loops 1     Janus's event_loops (0: its default, a thread per viewer)
              --steer-rx false          steer loopback receive work to the viewers' CPUs (RPS on lo)""";

    static final int MAX_FAILURES_PER_STEP = 5;
    private final Map<String, String> o;
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final DtlsCertificate identity = DtlsCertificate.generate(crypto);

    private ViewersBench(Map<String, String> options) {
        this.o = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("targets", "cascade,janus");
        defaults.put("bitrates", "600,2500");
        defaults.put("step", "200");
        defaults.put("max", "4000");
        defaults.put("settle", "3");
        defaults.put("hold", "8");
        defaults.put("loss-limit", "0.5");
        defaults.put("delay-limit", "250");
        defaults.put("verify-every", "64");
        defaults.put("server-cpu", "1");
        defaults.put("janus-event-loops", "1");
        defaults.put("steer-rx", "false");
        Map<String, String> o = Bench.options(args, defaults, USAGE);
        new ViewersBench(o).run();
    }

    /** A server under test: starts fed with a file, makes connected peers, stops. */
    interface Target extends AutoCloseable {
        String name();

        long serverPid();

        /** The address viewers bind to (where the server's candidates can reach them). */
        default InetAddress viewerAddress() {
            return InetAddress.getLoopbackAddress();
        }

        /** Signals, runs ICE and DTLS; the peer is connected when this returns. */
        void connect(WebRtcPeer peer) throws Exception;

        @Override
        void close();
    }

    /** One measured step. */
    record Step(int viewers, double lossPercent, double delayP50Ms, double delayP95Ms, double serverCpuBusy,
                double serverProcessCores, double mbpsToViewers, long clientSocketDrops, long connectFailures, long authFailures,
                long retransmissionsReceived, double packetsPerSecond) {}

    private void run() throws Exception {
        Instant started = Instant.now();
        int serverCpu = Integer.parseInt(o.get("server-cpu"));
        int cpus = Runtime.getRuntime().availableProcessors();
        if (serverCpu >= cpus) {
            throw new IllegalArgumentException("--server-cpu " + serverCpu + " but the machine has " + cpus + " CPUs");
        }
        pinSelfAwayFrom(serverCpu, cpus);
        if (Boolean.parseBoolean(o.get("steer-rx"))) {
            steerLoopbackReceive(serverCpu, cpus);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        List<String> dataFiles = new ArrayList<>();
        for (String kbpsText : o.get("bitrates").split(",")) {
            int kbps = Integer.parseInt(kbpsText.trim());
            Path media = media(kbps);
            for (String targetName : o.get("targets").split(",")) {
                targetName = targetName.trim();
                Bench.log("== %s at %d kbps: ramping viewers on CPU %d", targetName, kbps, serverCpu);
                List<Step> steps;
                try (Target t = switch (targetName) {
                    case "cascade" -> CascadeTarget.start(media, serverCpu);
                    case "janus" -> JanusTarget.start(media, serverCpu, Integer.parseInt(o.get("janus-event-loops")));
                    default -> throw new IllegalArgumentException("unknown target " + targetName);
                }) {
                    steps = ramp(t);
                }
                String key = targetName + "@" + kbps;
                results.put(key, steps);
                Step best = null;
                for (Step s : steps) {
                    if (passes(s)) {
                        best = s;
                    }
                }
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("viewersPerCore", best == null ? 0 : best.viewers());
                sm.put("serverCpuBusyAtThatStep", best == null ? 0 : best.serverCpuBusy());
                sm.put("limitedBy", limit(steps));
                summary.put(key, sm);
                Path dat = Bench.tmp().resolve("viewers-" + key.replace('@', '-') + ".dat");
                StringBuilder sb = new StringBuilder("# viewers loss% delayP95ms serverCpuBusy\n");
                for (Step s : steps) {
                    sb.append(s.viewers()).append(' ').append(s.lossPercent()).append(' ').append(s.delayP95Ms())
                            .append(' ').append(s.serverCpuBusy()).append('\n');
                }
                Files.writeString(dat, sb);
                dataFiles.add(key + "=" + dat);
                Bench.log("%s: %s", key, sm);
            }
        }
        for (String kbpsText : o.get("bitrates").split(",")) {
            String k = kbpsText.trim();
            Object c = summary.get("cascade@" + k);
            Object j = summary.get("janus@" + k);
            if (c instanceof Map<?, ?> cm && j instanceof Map<?, ?> jm) {
                double cv = ((Number) cm.get("viewersPerCore")).doubleValue();
                double jv = ((Number) jm.get("viewersPerCore")).doubleValue();
                summary.put("ratio@" + k, jv == 0 ? null : Math.round(cv / jv * 100) / 100.0);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "viewers");
        doc.put("command", Bench.command("bench/run viewers"));
        doc.put("started", started.toString());
        doc.put("options", o);
        doc.put("environment", Bench.environment());
        doc.put("method", "server pinned to CPU " + serverCpu + " with taskset; viewers, publisher and origin on the"
                + " other CPUs. A step passes while loss <= " + o.get("loss-limit") + "% and p95 delay growth <= "
                + o.get("delay-limit") + " ms. viewersPerCore = viewers at the last passing step.");
        if (o.get("targets").contains("janus")) {
            doc.put("janusVersion", JanusTarget.version());
        }
        doc.put("summary", summary);
        doc.put("steps", results);
        String stamp = Bench.stamp(started);
        Path json = Bench.results().resolve("viewers-" + stamp + ".json");
        Path png = Bench.results().resolve("viewers-" + stamp + ".png");
        Bench.writeJson(json, doc);
        plot(dataFiles, png);
        StringBuilder headline = new StringBuilder("viewers per core");
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            Object v = e.getValue() instanceof Map<?, ?> m ? m.get("viewersPerCore") : e.getValue();
            headline.append("; ").append(e.getKey()).append(' ').append(v);
        }
        Bench.appendResultRow("viewers", Bench.command("bench/run viewers"), headline.toString(), json, png);
        Bench.log("results: %s, %s", json, png);
    }

    private boolean passes(Step s) {
        return s.connectFailures() == 0 && s.lossPercent() <= Double.parseDouble(o.get("loss-limit"))
                && s.delayP95Ms() <= Double.parseDouble(o.get("delay-limit"));
    }

    private String limit(List<Step> steps) {
        if (steps.isEmpty()) {
            return "no step ran";
        }
        Step last = steps.get(steps.size() - 1);
        if (passes(last)) {
            return "none: reached --max " + o.get("max");
        }
        List<String> why = new ArrayList<>();
        if (last.connectFailures() > 0) {
            why.add(last.connectFailures() + " viewers could not connect");
        }
        if (last.lossPercent() > Double.parseDouble(o.get("loss-limit"))) {
            why.add(Bench.fmt("loss %.2f%%", last.lossPercent()));
        }
        if (last.delayP95Ms() > Double.parseDouble(o.get("delay-limit"))) {
            why.add(Bench.fmt("p95 delay growth %.0f ms", last.delayP95Ms()));
        }
        if (last.clientSocketDrops() > 0) {
            why.add("load tool dropped " + last.clientSocketDrops() + " datagrams at its own sockets (the tool, not"
                    + " only the server, was short of CPU)");
        }
        return String.join("; ", why) + " at " + last.viewers() + " viewers";
    }

    // ---------------------------------------------------------------- the ramp

    private List<Step> ramp(Target target) throws Exception {
        int step = Integer.parseInt(o.get("step"));
        int max = Integer.parseInt(o.get("max"));
        int verifyEvery = Integer.parseInt(o.get("verify-every"));
        List<Step> steps = new ArrayList<>();
        List<WebRtcPeer> peers = new ArrayList<>();
        ExecutorService connectors = Executors.newFixedThreadPool(2);
        try (PeerLoop loop = new PeerLoop("viewers")) {
            while (peers.size() < max) {
                long failures = 0;
                // A saturated server fails connections slowly (timeouts): after a few failures the
                // rest of the step is not attempted, and counts as failed.
                java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
                List<Future<WebRtcPeer>> joining = new ArrayList<>();
                for (int i = 0; i < step; i++) {
                    joining.add(connectors.submit(() -> {
                        if (failed.get() >= MAX_FAILURES_PER_STEP) {
                            throw new java.io.IOException("not attempted: " + MAX_FAILURES_PER_STEP
                                    + " viewers of this step already failed to connect");
                        }
                        WebRtcPeer p = WebRtcPeer.open(target.viewerAddress(), crypto, identity)
                                .verifyEvery(verifyEvery);
                        try {
                            target.connect(p);
                        } catch (Exception e) {
                            p.close();
                            failed.incrementAndGet();
                            throw e;
                        }
                        return loop.add(p).get(10, TimeUnit.SECONDS);
                    }));
                }
                String firstError = null;
                for (Future<WebRtcPeer> f : joining) {
                    try {
                        peers.add(f.get(60, TimeUnit.SECONDS));
                    } catch (Exception e) {
                        failures++;
                        if (firstError == null) {
                            firstError = String.valueOf(e.getCause() == null ? e : e.getCause());
                        }
                    }
                }
                if (firstError != null) {
                    Bench.log("  %d of %d viewers failed to connect, first: %s", failures, step, firstError);
                }
                Bench.sleep(Long.parseLong(o.get("settle")) * 1000);
                Step s = measure(target, loop, peers, failures);
                steps.add(s);
                Bench.log("  %5d viewers: loss %.3f%%, delay growth p50 %.0f / p95 %.0f ms, server CPU %.0f%% busy (process %.2f), "
                                + "%.0f Mbit/s and %.0f packets/s to viewers, %d tool socket drops, %d auth failures",
                        s.viewers(), s.lossPercent(), s.delayP50Ms(), s.delayP95Ms(), s.serverCpuBusy() * 100,
                        s.serverProcessCores(), s.mbpsToViewers(),
                        s.packetsPerSecond(), s.clientSocketDrops(), s.authFailures());
                if (s.authFailures() > 0) {
                    List<WebRtcPeer> all = List.copyOf(peers);
                    Bench.log("    %s", loop.call(() -> authFailureSummary(all)).get(30, TimeUnit.SECONDS));
                }
                if (!passes(s)) {
                    break;
                }
            }
        } finally {
            connectors.shutdownNow(); // the peers close with the loop; their sessions end with the server
        }
        return steps;
    }

    /** Which viewers failed SRTP or SRTCP authentication, and how (loop thread). */
    private static String authFailureSummary(List<WebRtcPeer> peers) {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        int failing = 0;
        for (int i = 0; i < peers.size(); i++) {
            WebRtcPeer p = peers.get(i);
            if (p.authFailures > 0) {
                failing++;
                String k = "rtp " + (p.authFailures - p.rtcpAuthFailures) + " (" + p.lastRtpFailure + "), rtcp "
                        + p.rtcpAuthFailures + " (" + p.lastRtcpFailure + ")";
                kinds.merge(k.replaceAll("\\d+", "n"), 1, Integer::sum);
                if (failing <= 3) {
                    kinds.merge("e.g. viewer #" + i + ": " + k, 1, Integer::sum);
                }
            }
        }
        return failing + " viewers with authentication failures: " + kinds;
    }

    /** Per-peer counters at one instant, read on the loop thread. */
    private record Snap(long expected, long unique, long bytes, long packets, long authFailures, long recovered) {}

    private Step measure(Target target, PeerLoop loop, List<WebRtcPeer> peers, long failures) throws Exception {
        int serverCpu = Integer.parseInt(o.get("server-cpu"));
        long holdMs = Long.parseLong(o.get("hold")) * 1000;
        List<WebRtcPeer> all = List.copyOf(peers);
        Snap[] before = loop.call(() -> snap(all, true)).get(30, TimeUnit.SECONDS);
        double cpuBefore = ProcCpu.processSeconds(target.serverPid());
        long[] coreBefore = ProcCpu.cpu(serverCpu);
        long dropsBefore = rcvbufErrors();
        long t0 = System.nanoTime();
        Bench.sleep(holdMs);
        Snap[] after = loop.call(() -> snap(all, false)).get(30, TimeUnit.SECONDS);
        long[] delays = loop.call(() -> {
            long[] d = new long[all.size()];
            for (int i = 0; i < d.length; i++) {
                d[i] = all.get(i).video.takeMaxDelayMicros();
            }
            return d;
        }).get(30, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double processCores = (ProcCpu.processSeconds(target.serverPid()) - cpuBefore) / seconds;
        long[] coreAfter = ProcCpu.cpu(serverCpu);
        double core = coreAfter[1] == coreBefore[1] ? 0
                : (double) (coreAfter[0] - coreBefore[0]) / (coreAfter[1] - coreBefore[1]);
        long drops = rcvbufErrors() - dropsBefore;
        long expected = 0;
        long unique = 0;
        long bytes = 0;
        long packets = 0;
        long auth = 0;
        long recovered = 0;
        for (int i = 0; i < all.size(); i++) {
            expected += after[i].expected() - before[i].expected();
            unique += after[i].unique() - before[i].unique();
            bytes += after[i].bytes() - before[i].bytes();
            packets += after[i].packets() - before[i].packets();
            auth += after[i].authFailures() - before[i].authFailures();
            recovered += after[i].recovered() - before[i].recovered();
        }
        Arrays.sort(delays);
        double loss = expected <= 0 ? 100.0 : Math.max(0, expected - unique) * 100.0 / expected;
        return new Step(all.size(), round3(loss), pct(delays, 0.50) / 1000.0, pct(delays, 0.95) / 1000.0,
                round3(core), round3(processCores), round3(bytes * 8 / seconds / 1e6), drops, failures, auth, recovered,
                Math.round(packets / seconds));
    }

    /** Counters of every peer (video + audio); {@code reset} also starts a new delay window. */
    private static Snap[] snap(List<WebRtcPeer> peers, boolean reset) {
        Snap[] s = new Snap[peers.size()];
        for (int i = 0; i < s.length; i++) {
            WebRtcPeer p = peers.get(i);
            TrackReceiver v = p.video;
            TrackReceiver a = p.audio;
            s[i] = new Snap(v.expected() + a.expected(), v.unique + a.unique, v.bytes + a.bytes, v.packets + a.packets,
                    p.authFailures, v.recovered + a.recovered);
            if (reset) {
                v.takeMaxDelayMicros();
            }
        }
        return s;
    }

    private static double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1) + 0.5))];
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** UDP datagrams the kernel dropped because a socket's receive buffer was full (all sockets). */
    static long rcvbufErrors() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                List<String> names = List.of(lines.get(i).split("\\s+"));
                String[] values = lines.get(i + 1).split("\\s+");
                return Long.parseLong(values[names.indexOf("RcvbufErrors")]);
            }
        }
        return 0;
    }

    private static final Path LO_RPS = Path.of("/sys/class/net/lo/queues/rx-0/rps_cpus");

    /**
     * Over loopback the kernel delivers a datagram to its receiving socket on the sender's CPU (the
     * softirq runs where the packet was sent), so the server's core would pay for its viewers'
     * receive path, work that on a real network happens on the viewers' machines. Receive Packet
     * Steering on {@code lo} moves that work to the viewers' CPUs, for both servers alike; the
     * setting is put back when the run ends.
     */
    private static void steerLoopbackReceive(int serverCpu, int cpus) throws IOException {
        long mask = 0;
        for (int c = 0; c < cpus && c < 63; c++) {
            if (c != serverCpu) {
                mask |= 1L << c;
            }
        }
        String before = Files.readString(LO_RPS).trim();
        try {
            Files.writeString(LO_RPS, Long.toHexString(mask));
        } catch (IOException e) {
            throw new IOException("cannot write " + LO_RPS + " (needs root; or run with --steer-rx false)", e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.writeString(LO_RPS, before);
            } catch (IOException e) {
                System.err.println("could not restore " + LO_RPS + " to " + before);
            }
        }));
        Bench.log("receive packet steering on lo: %s -> %s (restored at exit)", before, Long.toHexString(mask));
    }

    /** This JVM (the viewers) stays off the server's CPU. */
    private static void pinSelfAwayFrom(int serverCpu, int cpus) {
        StringBuilder list = new StringBuilder();
        for (int c = 0; c < cpus; c++) {
            if (c != serverCpu) {
                list.append(list.length() == 0 ? "" : ",").append(c);
            }
        }
        Bench.run(5, "taskset", "-a", "-p", "-c", list.toString(), Long.toString(ProcessHandle.current().pid()));
    }

    /** The stream both servers get: 640x360 30 fps H.264 constrained baseline, 1 s GOP, Opus 64 kbit/s. */
    static Path media(int kbps) throws IOException, InterruptedException {
        return Bench.media("viewers-" + kbps + "k.ts", List.of(
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "60", "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "baseline",
                "-pix_fmt", "yuv420p", "-b:v", kbps + "k", "-maxrate", kbps + "k", "-bufsize", (kbps / 2) + "k",
                "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-bf", "0",
                "-c:a", "libopus", "-b:a", "64k", "-ac", "2", "-ar", "48000"));
    }

    private static void plot(List<String> dataFiles, Path png) throws IOException, InterruptedException {
        StringBuilder loss = new StringBuilder();
        StringBuilder cpu = new StringBuilder();
        for (String df : dataFiles) {
            String label = df.substring(0, df.indexOf('='));
            String file = df.substring(df.indexOf('=') + 1);
            loss.append(loss.length() == 0 ? "plot " : ", ").append("'").append(file)
                    .append("' using 1:2 with linespoints title '").append(label).append("'");
            cpu.append(cpu.length() == 0 ? "plot " : ", ").append("'").append(file)
                    .append("' using 1:4 with linespoints title '").append(label).append("'");
        }
        Path script = Bench.tmp().resolve("viewers.gp");
        Files.writeString(script, String.join("\n",
                "set terminal pngcairo size 1100,800",
                "set output '" + png + "'",
                "set multiplot layout 2,1 title 'WebRTC viewers on one server core (Cascade edge vs Janus streaming)'",
                "set grid", "set key left top",
                "set ylabel 'packet loss %'", "set yrange [0:2]",
                loss.toString(),
                "set ylabel 'server CPU busy (fraction of its one core)'", "set xlabel 'viewers'", "set yrange [0:1.2]",
                cpu.toString(),
                "unset multiplot", ""));
        Bench.gnuplot(script);
    }
}
