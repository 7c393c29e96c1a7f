package dev.cascade.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
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
              --targets cascade,janus   servers to measure; also cascade-abr-off, cascade-abr, cascade-abr-noprobe
                                        (a managed edge without and with an ABR ladder: bench/run abr-cost)
              --bitrates 600,2500       video kbps of the stream (Opus audio adds 64); with ABR, of level 2
              --remb 10000              kbps each viewer announces in its REMB, every second
              --abr-top 2500            ABR targets: kbps of level 1 (1280x720), which the viewers never reach
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
    /** Cores other processes (not the server, not this tool and its children) may use in a window before it is measured again. */
    static final double DISTURBED_CORES = 0.15;
    static final int MEASUREMENTS_PER_STEP = 3;
    /** The benchmark's name: its results files, its row in the results table, its plot's title. */
    private final String name;
    private final String title;
    private final Map<String, String> o;
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final DtlsCertificate identity = DtlsCertificate.generate(crypto);

    private ViewersBench(String name, String title, Map<String, String> options) {
        this.name = name;
        this.title = title;
        this.o = options;
    }

    public static void main(String[] args) throws Exception {
        run("viewers", "WebRTC viewers on one server core (Cascade edge vs Janus streaming)", USAGE, Map.of(), args);
    }

    /** Runs the ramp under another name, with some defaults changed ({@link AbrCostBench}). */
    static void run(String name, String title, String usage, Map<String, String> changedDefaults, String[] args)
            throws Exception {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("targets", "cascade,janus");
        defaults.put("bitrates", "600,2500");
        defaults.put("remb", "10000");
        defaults.put("abr-top", "2500");
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
        defaults.putAll(changedDefaults);
        Map<String, String> o = Bench.options(args, defaults, usage);
        new ViewersBench(name, title, o).run();
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

        /** Just before a step's measured window opens (outside it): e.g. read the server's counters. */
        default void windowOpens() throws Exception {}

        /**
         * Just after the window closed: the server's own account of the step, or null. A list under
         * {@code "problems"} names what contradicts the set-up; in a step that passes the limits it
         * stops the run.
         */
        default Map<String, Object> windowClosed(int viewers) throws Exception {
            return null;
        }

        @Override
        void close();
    }

    /**
     * One measured step. {@code otherProcessesCores}: CPU of every process other than the server and
     * this tool with its children, anywhere on the machine ({@code disturbed} above
     * {@link #DISTURBED_CORES} after {@link #MEASUREMENTS_PER_STEP} tries); {@code server}: the
     * target's {@link Target#windowClosed} account, if any.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Step(int viewers, double lossPercent, double delayP50Ms, double delayP95Ms, double serverCpuBusy,
                double serverProcessCores, double mbpsToViewers, long clientSocketDrops, long connectFailures, long authFailures,
                long retransmissionsReceived, double packetsPerSecond, double otherProcessesCores, boolean disturbed,
                Map<String, Object> server) {
        /** Cores the server process used per 1,000 viewers. */
        double processCoresPer1000() {
            return viewers == 0 ? 0 : round3(serverProcessCores * 1000 / viewers);
        }
    }

    private void run() throws Exception {
        Instant started = Instant.now();
        int serverCpu = Integer.parseInt(o.get("server-cpu"));
        int cpus = Runtime.getRuntime().availableProcessors();
        if (serverCpu >= cpus) {
            throw new IllegalArgumentException("--server-cpu " + serverCpu + " but the machine has " + cpus + " CPUs");
        }
        for (String target : o.get("targets").split(",")) {
            if (AbrCostTarget.Mode.of(target.trim()) == null) {
                continue;
            }
            for (String kbps : o.get("bitrates").split(",")) {
                AbrCostTarget.Setup.validate(Integer.parseInt(o.get("abr-top")), Integer.parseInt(kbps.trim()),
                        Integer.parseInt(o.get("remb")));
            }
        }
        Map<String, Object> environment = Bench.environment(); // before the pinning, which leaves this JVM one CPU
        pinSelfAwayFrom(serverCpu, cpus);
        if (Boolean.parseBoolean(o.get("steer-rx"))) {
            steerLoopbackReceive(serverCpu, cpus);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        Map<String, Object> abrSetups = new LinkedHashMap<>();
        List<String> dataFiles = new ArrayList<>();
        for (String kbpsText : o.get("bitrates").split(",")) {
            int kbps = Integer.parseInt(kbpsText.trim());
            Path media = media(kbps);
            AbrCostTarget.Setup abr = null;
            Map<String, List<Step>> atThisRate = new LinkedHashMap<>();
            for (String targetName : o.get("targets").split(",")) {
                targetName = targetName.trim();
                AbrCostTarget.Mode mode = AbrCostTarget.Mode.of(targetName);
                if (mode != null && abr == null) {
                    abr = AbrCostTarget.Setup.prepare(Integer.parseInt(o.get("abr-top")), media, kbps);
                    abrSetups.put(Integer.toString(kbps), abrSetup(abr));
                }
                Bench.log("== %s at %d kbps: ramping viewers on CPU %d", targetName, kbps, serverCpu);
                List<Step> steps;
                try (Target t = mode != null ? AbrCostTarget.start(mode, abr, serverCpu) : switch (targetName) {
                    case "cascade" -> CascadeTarget.start(media, serverCpu);
                    case "janus" -> JanusTarget.start(media, serverCpu, Integer.parseInt(o.get("janus-event-loops")));
                    default -> throw new IllegalArgumentException("unknown target " + targetName);
                }) {
                    steps = ramp(t);
                }
                String key = targetName + "@" + kbps;
                results.put(key, steps);
                atThisRate.put(key, steps);
                Step best = null;
                for (Step s : steps) {
                    if (passes(s)) {
                        best = s;
                    }
                }
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("viewersPerCore", best == null ? 0 : best.viewers());
                sm.put("serverCpuBusyAtThatStep", best == null ? 0 : best.serverCpuBusy());
                sm.put("serverProcessCoresPer1000ViewersAtThatStep", best == null ? 0 : best.processCoresPer1000());
                sm.put("limitedBy", limit(steps));
                summary.put(key, sm);
                Path dat = Bench.tmp().resolve(name + "-" + key.replace('@', '-') + ".dat");
                StringBuilder sb = new StringBuilder("# viewers loss% delayP95ms serverCpuBusy serverProcessCores"
                        + " packetsPerSecondPerViewer\n");
                for (Step s : steps) {
                    sb.append(s.viewers()).append(' ').append(s.lossPercent()).append(' ').append(s.delayP95Ms())
                            .append(' ').append(s.serverCpuBusy()).append(' ').append(s.serverProcessCores())
                            .append(' ').append(s.viewers() == 0 ? 0 : Math.round(s.packetsPerSecond() / s.viewers()))
                            .append('\n');
                }
                Files.writeString(dat, sb);
                dataFiles.add(key + "=" + dat);
                Bench.log("%s: %s", key, sm);
            }
            Map<String, Object> equal = atThisRate.size() > 1 ? atEqualLoad(atThisRate) : null;
            if (equal != null) {
                summary.put("atEqualLoad@" + kbps, equal);
            }
            Object c = summary.get("cascade@" + kbps);
            Object j = summary.get("janus@" + kbps);
            if (c instanceof Map<?, ?> cm && j instanceof Map<?, ?> jm) {
                double cv = ((Number) cm.get("viewersPerCore")).doubleValue();
                double jv = ((Number) jm.get("viewersPerCore")).doubleValue();
                summary.put("ratio@" + kbps, jv == 0 ? null : Math.round(cv / jv * 100) / 100.0);
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", name);
        doc.put("command", Bench.command("bench/run " + name));
        doc.put("started", started.toString());
        doc.put("options", o);
        doc.put("environment", environment);
        doc.put("method", "server pinned to CPU " + serverCpu + " with taskset; viewers, publisher and origin on the"
                + " other CPUs. A step passes while loss <= " + o.get("loss-limit") + "% and p95 delay growth <= "
                + o.get("delay-limit") + " ms. viewersPerCore = viewers at the last passing step. Each viewer announces a"
                + " REMB of " + o.get("remb") + " kbps every second. atEqualLoad: every target at the largest viewer count"
                + " all of them passed.");
        if (!abrSetups.isEmpty()) {
            doc.put("abr", abrSetups);
        }
        if (o.get("targets").contains("janus")) {
            doc.put("janusVersion", JanusTarget.version());
        }
        doc.put("summary", summary);
        doc.put("steps", results);
        String stamp = Bench.stamp(started);
        Path json = Bench.results().resolve(name + "-" + stamp + ".json");
        Path png = Bench.results().resolve(name + "-" + stamp + ".png");
        Bench.writeJson(json, doc);
        plot(dataFiles, png);
        Bench.appendResultRow(name, Bench.command("bench/run " + name), headline(summary), json, png);
        Bench.log("results: %s, %s", json, png);
    }

    /** What the ABR targets ran with, for the results. */
    private static Map<String, Object> abrSetup(AbrCostTarget.Setup abr) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provision", Bench.JSON.readTree(abr.provision()));
        m.put("sourceAndLevel1", abr.topMedia().getFileName() + " (" + AbrCostTarget.TOP_WIDTH + "x"
                + AbrCostTarget.TOP_HEIGHT + " " + abr.topKbps() + " kbps)");
        m.put("level2", abr.levelMedia().getFileName() + " (" + AbrCostTarget.LEVEL_WIDTH + "x"
                + AbrCostTarget.LEVEL_HEIGHT + " " + abr.levelKbps() + " kbps)");
        m.put("viewersWatch", Map.of("cascade-abr-off", AbrCostTarget.LEVEL, "cascade-abr", AbrCostTarget.SOURCE,
                "cascade-abr-noprobe", AbrCostTarget.SOURCE + " (edge with abr.probe=false)"));
        m.put("builds", abr.builds());
        return m;
    }

    /**
     * Every target of one bitrate at the largest viewer count all of them passed: server CPU, CPU per
     * viewer, and what each viewer received, with each target's CPU relative to the first's; null when
     * some target passed no step.
     */
    private Map<String, Object> atEqualLoad(Map<String, List<Step>> byTarget) {
        int common = Integer.MAX_VALUE;
        for (List<Step> steps : byTarget.values()) {
            int most = 0;
            for (Step s : steps) {
                if (passes(s)) {
                    most = Math.max(most, s.viewers());
                }
            }
            common = Math.min(common, most);
        }
        if (common == 0) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("viewers", common);
        Double first = null;
        for (Map.Entry<String, List<Step>> e : byTarget.entrySet()) {
            Step at = null;
            for (Step s : e.getValue()) {
                if (s.viewers() == common) {
                    at = s;
                }
            }
            if (at == null) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("serverCpuBusy", at.serverCpuBusy());
            m.put("serverProcessCores", at.serverProcessCores());
            m.put("serverProcessCoresPer1000Viewers", at.processCoresPer1000());
            m.put("packetsPerSecondPerViewer", Math.round(at.packetsPerSecond() / at.viewers()));
            m.put("kbpsPerViewer", Math.round(at.mbpsToViewers() * 1000 / at.viewers()));
            if (first == null) {
                first = at.serverProcessCores();
            } else if (first > 0) {
                m.put("processCoresRelativeToFirst", Math.round(at.serverProcessCores() / first * 100) / 100.0);
            }
            out.put(e.getKey(), m);
        }
        return out;
    }

    private static String headline(Map<String, Object> summary) {
        StringBuilder h = new StringBuilder("viewers per core");
        List<String> equal = new ArrayList<>();
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            if (e.getKey().startsWith("atEqualLoad@") && e.getValue() instanceof Map<?, ?> m) {
                StringBuilder eq = new StringBuilder("at " + m.get("viewers") + " viewers, " + e.getKey().substring(12)
                        + " kbps, edge cores per 1000 viewers:");
                m.forEach((k, v) -> {
                    if (v instanceof Map<?, ?> t) {
                        eq.append(' ').append(k).append(' ').append(t.get("serverProcessCoresPer1000Viewers"));
                        if (t.get("processCoresRelativeToFirst") != null) {
                            eq.append(" (").append(t.get("processCoresRelativeToFirst")).append("x)");
                        }
                    }
                });
                equal.add(eq.toString());
                continue;
            }
            Object v = e.getValue() instanceof Map<?, ?> m ? m.get("viewersPerCore") : e.getValue();
            h.append("; ").append(e.getKey()).append(' ').append(v);
        }
        for (String eq : equal) {
            h.append("; ").append(eq);
        }
        return h.toString();
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
        long remb = Long.parseLong(o.get("remb")) * 1000;
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
                                .verifyEvery(verifyEvery).remb(remb);
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
                for (int i = 1; i < MEASUREMENTS_PER_STEP && s.disturbed(); i++) {
                    Bench.log("  %5d viewers: other processes used %.2f cores during the window; measuring again",
                            s.viewers(), s.otherProcessesCores());
                    s = measure(target, loop, peers, failures);
                }
                steps.add(s);
                Bench.log("  %5d viewers: loss %.3f%%, delay growth p50 %.0f / p95 %.0f ms, server CPU %.0f%% busy (process %.2f), "
                                + "%.0f Mbit/s and %.0f packets/s to viewers, %d tool socket drops, %d auth failures, "
                                + "other processes %.2f cores%s",
                        s.viewers(), s.lossPercent(), s.delayP50Ms(), s.delayP95Ms(), s.serverCpuBusy() * 100,
                        s.serverProcessCores(), s.mbpsToViewers(),
                        s.packetsPerSecond(), s.clientSocketDrops(), s.authFailures(), s.otherProcessesCores(),
                        s.disturbed() ? " (DISTURBED)" : "");
                if (s.authFailures() > 0) {
                    List<WebRtcPeer> all = List.copyOf(peers);
                    Bench.log("    %s", loop.call(() -> authFailureSummary(all)).get(30, TimeUnit.SECONDS));
                }
                checkServer(target, s);
                if (!passes(s)) {
                    break;
                }
            }
        } finally {
            connectors.shutdownNow(); // the peers close with the loop; their sessions end with the server
        }
        return steps;
    }

    /**
     * The target's own account of the step: logged; what contradicts the set-up stops the run when
     * the step passed the limits (its figures would be of something else than was meant), and is
     * only reported in the step that ended the ramp (an overloaded server may well misbehave).
     */
    private void checkServer(Target target, Step s) {
        if (s.server() == null) {
            return;
        }
        Map<String, Object> shown = new LinkedHashMap<>(s.server());
        Object problems = shown.remove("problems");
        Bench.log("    %s: %s", target.name(), shown);
        if (problems instanceof List<?> list && !list.isEmpty()) {
            if (passes(s)) {
                throw new IllegalStateException(target.name() + " at " + s.viewers() + " viewers is not what it should"
                        + " be: " + list + " (server account: " + shown + ")");
            }
            Bench.log("    %s, in the step that ended the ramp: %s", target.name(), list);
        }
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
        target.windowOpens();
        Snap[] before = loop.call(() -> snap(all, true)).get(30, TimeUnit.SECONDS);
        double cpuBefore = ProcCpu.processSeconds(target.serverPid());
        long[] coreBefore = ProcCpu.cpu(serverCpu);
        Map<Long, Double> allBefore = ProcCpu.allProcesses();
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
        java.util.Set<Long> ours = new java.util.HashSet<>(List.of(target.serverPid(), ProcessHandle.current().pid()));
        ProcessHandle.current().descendants().forEach(h -> ours.add(h.pid()));
        double others = ProcCpu.othersSeconds(allBefore, ProcCpu.allProcesses(), ours) / seconds;
        long[] coreAfter = ProcCpu.cpu(serverCpu);
        double core = coreAfter[1] == coreBefore[1] ? 0
                : (double) (coreAfter[0] - coreBefore[0]) / (coreAfter[1] - coreBefore[1]);
        long drops = rcvbufErrors() - dropsBefore;
        Map<String, Object> server = target.windowClosed(all.size());
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
                Math.round(packets / seconds), round3(others), others > DISTURBED_CORES, server);
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
        return media(640, 360, kbps);
    }

    /** The same at another size (60 s, so every file's keyframes fall on the same 1 s grid as it loops). */
    static Path media(int width, int height, int kbps) throws IOException, InterruptedException {
        String size = width + "x" + height;
        return Bench.media("viewers-" + (size.equals("640x360") ? "" : size + "-") + kbps + "k.ts", List.of(
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "60", "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "baseline",
                "-pix_fmt", "yuv420p", "-b:v", kbps + "k", "-maxrate", kbps + "k", "-bufsize", (kbps / 2) + "k",
                "-g", "30", "-keyint_min", "30", "-sc_threshold", "0", "-bf", "0",
                "-c:a", "libopus", "-b:a", "64k", "-ac", "2", "-ar", "48000"));
    }

    private void plot(List<String> dataFiles, Path png) throws IOException, InterruptedException {
        Path script = Bench.tmp().resolve(name + ".gp");
        Files.writeString(script, String.join("\n",
                "set terminal pngcairo size 1100,1100 noenhanced",
                "set output '" + png + "'",
                "set multiplot layout 3,1 title '" + title + "'",
                "set grid", "set key left top",
                "set ylabel 'packet loss %'", "set yrange [0:2]",
                plotLines(dataFiles, 2),
                "set ylabel 'server CPU busy (fraction of its one core)'", "set yrange [0:1.2]",
                plotLines(dataFiles, 4),
                "set ylabel 'packets/s received per viewer'", "set xlabel 'viewers'", "set yrange [0:*]",
                "set key left center",
                plotLines(dataFiles, 6),
                "unset multiplot", ""));
        Bench.gnuplot(script);
    }

    /** A gnuplot {@code plot} of column {@code column} against viewers, one line per data file ({@code label=file}). */
    private static String plotLines(List<String> dataFiles, int column) {
        StringBuilder plot = new StringBuilder();
        for (String df : dataFiles) {
            plot.append(plot.length() == 0 ? "plot " : ", ").append("'").append(df.substring(df.indexOf('=') + 1))
                    .append("' using 1:").append(column).append(" with linespoints title '")
                    .append(df.substring(0, df.indexOf('='))).append("'");
        }
        return plot.toString();
    }
}
