package dev.cascade.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placement requests per second and latency of the stream manager: three members (separate JVMs,
 * one Hazelcast cluster) holding a registry of 10,000 nodes and 100,000 streams, loaded by wrk in
 * steps of connection count.
 *
 * <p><b>Set-up.</b> The members run the stream manager as built in {@code stream-manager/target}
 * (copied aside first, so a build running meanwhile cannot change it under them), with a fixed
 * heap and the JVM's default collector, unpinned: the machine's cores are shared by the three
 * members and wrk, as they would be on a small deployment. Everything is populated through the real
 * API, as nodes and publishers would: every node registers and sends one ready heartbeat; every
 * stream gets a publish placement; every origin then heartbeats the streams placed on it as
 * publishing, so they are live. {@code nodes.heartbeatTimeoutMs} is set to its maximum (600 s) so the
 * registry stays INSERVICE without 10,000 heartbeats every 2 s competing with the measurement; if a
 * run outlives half of that, every node heartbeats again between two steps.
 *
 * <p><b>Load.</b> One wrk process, one thread per member ({@code bench/wrk/placement.lua} points each
 * thread at its own member), so its single latency histogram gives exact percentiles over all
 * members. The requests come from files this tool writes (seeded): a share of publish placements
 * (the stream uniform over all streams, from the stream's home region), the rest subscribe
 * placements (the stream Zipf-distributed over all streams, the region uniform). Two kinds of step:
 * closed loop (a number of connections, each sending its next request when the answer arrived: the
 * most the cluster answers) and paced (a fixed rate, each wrk thread sending on a schedule while it
 * has free connections: the latency at a given load, which is what the goal is about). wrk 4
 * corrects its latencies for coordinated omission (samples back-filled above twice the mean
 * per-connection interval), so a stall shows in the tail in both kinds.
 *
 * <p><b>Per step</b>: requests/s and the latency distribution from wrk; errors (wrk's socket errors,
 * timeouts and statuses above 399, and the members' own count of answers by endpoint and status
 * from /metrics, so a 503 or a 4xx shows by name); CPU of each member, of wrk, of the machine and of
 * other processes (from /proc), and each member's CPU by thread group (/proc tasks named through
 * {@code jcmd Thread.print}); GC pauses and allocation per member (from each member's GC log); the
 * members' mean time inside the placer. Before a step the tool waits for other processes to go
 * quiet; a step during which they used more than 30% of a core anyway is measured again (at most
 * twice more) and flagged if it stays disturbed.
 */
public final class PlacementBench {
    static final String USAGE = """
            bench/run placement [options]
              --connections 12,48,96,192  wrk connections per step, in total (a multiple of --members: split evenly)
              --duration 15               seconds measured per step
              --warmup 15                 seconds of unmeasured load first (JIT, pending-load windows)
              --publish-share 10          percent of requests that are publish placements (the rest: subscribe)
              --rates 5000,10000,15000,20000  paced steps: requests/s offered on a fixed schedule ('' for none)
              --rate-connections 96       connections of the paced steps (enough to keep the schedule through stalls)
              --extra-mixes 0,100         publish shares of extra closed-loop steps at the largest connection count
              --zipf 1.0                  exponent of the subscribed streams' popularity (0: uniform)
              --members 3                 stream-manager members (separate JVMs, one Hazelcast cluster)
              --nodes 10000               nodes registered: 5% origins, 15% relays, 80% edges
              --streams 100000            streams published (placed, then reported live by their origins)
              --regions 10                regions the nodes and streams are spread over
              --heap 1g                   -Xms and -Xmx of each member
              --jvm-args ''               more JVM flags for the members (space-separated)
              --jfr false                 record JFR (settings=profile) on every member over the measured steps
              --manager-build stream-manager/target  where the members' classes/ and lib/ are (e.g. a candidate build)
              --populate-concurrency 64   requests in flight while populating
              --request-lines 300000      requests in the wrk request file (cycled)
              --seed 42                   seed of the request mix""";

    static final int HEARTBEAT_TIMEOUT_MS = 600_000;
    static final double DISTURBED_PCT = 30;
    static final double GOAL_RPS = 20_000;
    static final double GOAL_P99_MS = 5;
    static final String APP = "live";

    private final Map<String, String> o;
    private final int memberCount;
    private final int nodeCount;
    private final int streamCount;
    private final int regions;
    private final String joinToken = ManagerMember.secret("bjt_");
    private final String adminKey = ManagerMember.secret("bak_");
    private final List<ManagerMember> members = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).executor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "populate-http");
                t.setDaemon(true);
                return t;
            })).build();
    private Path work;
    /** Every node's heartbeat body, for the ready beat and for refreshing the registry between steps. */
    private final Map<String, String> beats = new LinkedHashMap<>();
    private long lastBeatRoundNanos;
    /** Which stream-manager build ran: where from, a hash of its classes, its newest class file. */
    private final Map<String, Object> managerBuild = new LinkedHashMap<>();

    private PlacementBench(Map<String, String> o) {
        this.o = o;
        this.memberCount = Integer.parseInt(o.get("members"));
        this.nodeCount = Integer.parseInt(o.get("nodes"));
        this.streamCount = Integer.parseInt(o.get("streams"));
        this.regions = Integer.parseInt(o.get("regions"));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--replot")) {
            replot(Path.of(args[1]));
            return;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("connections", "12,48,96,192");
        d.put("duration", "15");
        d.put("warmup", "15");
        d.put("publish-share", "10");
        d.put("rates", "5000,10000,15000,20000");
        d.put("rate-connections", "96");
        d.put("extra-mixes", "0,100");
        d.put("zipf", "1.0");
        d.put("members", "3");
        d.put("nodes", "10000");
        d.put("streams", "100000");
        d.put("regions", "10");
        d.put("heap", "1g");
        d.put("jvm-args", "");
        d.put("jfr", "false");
        d.put("manager-build", "stream-manager/target");
        d.put("populate-concurrency", "64");
        d.put("request-lines", "300000");
        d.put("seed", "42");
        Map<String, String> o = Bench.options(args, d, USAGE);
        int exit = 0;
        PlacementBench b = new PlacementBench(o);
        try {
            b.run();
        } catch (Exception e) {
            Bench.log("FAILED: %s", e);
            e.printStackTrace(System.out);
            exit = 1;
        } finally {
            b.stopMembers();
        }
        System.exit(exit);
    }

    // ---------------------------------------------------------------- the run

    private void run() throws Exception {
        Instant started = Instant.now();
        String stamp = Bench.stamp(started);
        int[] connections = ints(o.get("connections"));
        for (int c : connections) {
            if (c % memberCount != 0 || c == 0) {
                throw new IllegalArgumentException("--connections: " + c + " is not a positive multiple of --members "
                        + memberCount + " (wrk gives each member's thread c / members connections)");
            }
        }
        requireTool("wrk", "apt-get install wrk");
        Map<String, Object> env = Bench.environment();
        env.put("wrk", Bench.run(5, "dpkg-query", "-W", "-f=${Version}", "wrk"));
        env.put("streamManagerSourcesDirty", !Bench.run(5, "git", "-C", Bench.root().toString(), "status",
                "--porcelain", "--", "stream-manager/src", "common/src").isEmpty());
        long[] m0 = ProcCpu.machine();
        Bench.sleep(1000);
        long[] m1 = ProcCpu.machine();
        double backgroundBusy = pct(m1[0] - m0[0], m1[1] - m0[1]);
        env.put("machineBusyBeforeRunPct", round1(backgroundBusy));
        Bench.log("machine busy before the run: %.0f%% of %d cores%s", backgroundBusy,
                Runtime.getRuntime().availableProcessors(), backgroundBusy > 15 ? " (something else is running:"
                        + " the figures will be lower than on a quiet machine)" : "");

        work = Bench.tmp().resolve("placement");
        Files.createDirectories(work);
        String classpath = snapshotClasspath();

        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("managerBuild", managerBuild);
        long t0 = System.nanoTime();
        startMembers(classpath, setup);
        setup.put("membersStartSeconds", secondsSince(t0));

        Map<String, Object> population = populate();
        setup.put("population", population);

        // the load: one request file per publish share
        double zipf = Double.parseDouble(o.get("zipf"));
        int share = Integer.parseInt(o.get("publish-share"));
        Map<Integer, Map<String, Object>> requestFiles = new TreeMap<>();
        List<int[]> plan = new ArrayList<>(); // {connections, publish share, paced rate or 0}
        for (int c : connections) {
            plan.add(new int[] {c, share, 0});
        }
        int rateConnections = Integer.parseInt(o.get("rate-connections"));
        if (rateConnections % memberCount != 0) {
            throw new IllegalArgumentException("--rate-connections must be a multiple of --members");
        }
        for (int rate : ints(o.get("rates"))) {
            plan.add(new int[] {rateConnections, share, rate});
        }
        for (int extra : ints(o.get("extra-mixes"))) {
            plan.add(new int[] {connections[connections.length - 1], extra, 0});
        }
        for (int[] p : plan) {
            if (!requestFiles.containsKey(p[1])) {
                requestFiles.put(p[1], writeRequests(p[1], zipf));
            }
        }
        setup.put("requestFiles", requestFiles);

        int warmup = Integer.parseInt(o.get("warmup"));
        if (warmup > 0) {
            int c = connections[connections.length / 2];
            Bench.log("warm-up: %d s at %d connections (%d%% publish), not recorded", warmup, c, share);
            Map<String, Object> w = wrk(c, share, 0, warmup, "warmup");
            Bench.log("warm-up: %d req/s, p99 %.2f ms", w.get("requestsPerSecond"), latencyMs(w, "p99"));
        }

        boolean jfr = Boolean.parseBoolean(o.get("jfr"));
        if (jfr) {
            for (ManagerMember m : members) {
                jcmd(m, "JFR.start", "name=placement", "settings=profile",
                        "filename=" + work.resolve(m.name + ".jfr"));
            }
            Bench.log("JFR recording on every member (settings=profile) until the last step");
        }

        List<Map<String, Object>> steps = new ArrayList<>();
        int duration = Integer.parseInt(o.get("duration"));
        for (int i = 0; i < plan.size(); i++) {
            int c = plan.get(i)[0];
            int mix = plan.get(i)[1];
            int rate = plan.get(i)[2];
            String label = (rate > 0 ? rate + "/s paced, " : "") + c + " conn" + (mix == share ? "" : ", " + mix + "% publish");
            refreshIfNeeded();
            Map<String, Object> s;
            int attempts = 0;
            while (true) {
                attempts++;
                Bench.log("step %d/%d: %s%s, %d s ...", i + 1, plan.size(), label,
                        mix == share ? ", " + mix + "% publish" : "", duration);
                s = step(c, mix, rate, duration, label);
                double other = (Double) s.get("otherProcessesCpuPct");
                if (other <= DISTURBED_PCT || attempts >= 3) {
                    break;
                }
                Bench.log("  disturbed: other processes used %.0f%% of a core during the step; measuring again", other);
                Bench.sleep(3000);
            }
            s.put("attempts", attempts);
            s.put("disturbedByOtherProcesses", (Double) s.get("otherProcessesCpuPct") > DISTURBED_PCT);
            steps.add(s);
            logStep(s);
            for (ManagerMember m : members) {
                if (!m.alive()) {
                    throw new IllegalStateException(m.name + " died; log " + m.log + ":\n" + m.tail());
                }
            }
        }
        Map<String, Object> jfrFiles = new LinkedHashMap<>();
        if (jfr) {
            for (ManagerMember m : members) {
                jcmd(m, "JFR.stop", "name=placement");
                jfrFiles.put(m.name, work.resolve(m.name + ".jfr").toString());
            }
        }

        // ---------------------------------------------------------------- results
        Map<String, Object> summary = summary(steps, share);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "placement");
        doc.put("command", Bench.command("bench/run placement"));
        doc.put("started", started.toString());
        doc.put("options", o);
        doc.put("environment", env);
        doc.put("goal", Bench.fmt("%.0f req/s with p99 under %.0f ms, %d members, %d nodes, %d streams",
                GOAL_RPS, GOAL_P99_MS, memberCount, nodeCount, streamCount));
        doc.put("method", method(share, zipf));
        doc.put("setup", setup);
        if (jfr) {
            doc.put("jfrRecordings", jfrFiles);
        }
        doc.put("summary", summary);
        doc.put("steps", steps);
        Path json = Bench.results().resolve("placement-" + stamp + ".json");
        Path png = Bench.results().resolve("placement-" + stamp + ".png");
        Bench.writeJson(json, doc);
        plot(stamp, steps, png);
        Bench.appendResultRow("placement", Bench.command("bench/run placement"), (String) summary.get("headline"), json, png);
        Bench.log("%s", summary.get("headline"));
        Bench.log("results: %s, %s", json, png);
    }

    // ---------------------------------------------------------------- members

    /** Copies the stream manager's classes and libraries aside, so a build running meanwhile cannot swap them. */
    private String snapshotClasspath() throws IOException {
        String classpath = Builds.snapshot(o.get("manager-build"), work.resolve("manager-classpath"), managerBuild);
        Bench.log("stream manager from %s (classes %s, newest file %s)", managerBuild.get("path"),
                managerBuild.get("classesSha256"), managerBuild.get("newestClassFile"));
        return classpath;
    }

    private void startMembers(String classpath, Map<String, Object> setup) throws IOException {
        int[] cluster = new int[memberCount];
        int[] httpPorts = new int[memberCount];
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < memberCount; i++) {
            cluster[i] = Ports.free();
            httpPorts[i] = Ports.free();
            list.append(i == 0 ? "" : ",").append("127.0.0.1:").append(cluster[i]);
        }
        // a cluster name of our own: no other Hazelcast member on this machine (tests) can join ours
        List<String> sets = List.of("nodes.heartbeatTimeoutMs=" + HEARTBEAT_TIMEOUT_MS,
                "cluster.name=placement-bench-" + ProcessHandle.current().pid());
        Map<String, String> secrets = Map.of("CASCADE_SM_SECURITY_JOIN_TOKEN", joinToken,
                "CASCADE_SM_SECURITY_ADMIN_KEY", adminKey);
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < memberCount; i++) {
            String name = "member-" + i;
            List<String> jvm = new ArrayList<>(List.of("-Xms" + o.get("heap"), "-Xmx" + o.get("heap"),
                    "-Xlog:gc:file=" + gcLog(name) + ":time,uptime"));
            for (String a : o.get("jvm-args").trim().split("\\s+")) {
                if (!a.isEmpty()) {
                    jvm.add(a);
                }
            }
            Files.deleteIfExists(gcLog(name));
            Bench.log("starting stream-manager %s (HTTP %d, Hazelcast %d)", name, httpPorts[i], cluster[i]);
            // one after another, so each joins the cluster the first one formed
            ManagerMember m = ManagerMember.start(name, classpath, jvm, httpPorts[i], cluster[i], list.toString(),
                    sets, secrets);
            members.add(m);
            commands.add(m.commandLine());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (ManagerMember m : members) {
            while (m.clusterSize() != memberCount) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(m.name + " does not see " + memberCount + " members; log " + m.log);
                }
                Bench.sleep(250);
            }
        }
        Bench.log("%d-member cluster formed", memberCount);
        setup.put("memberCommands", commands);
        setup.put("memberConfigOverrides", sets);
        setup.put("memberSecrets", "random per run, through CASCADE_SM_SECURITY_JOIN_TOKEN and CASCADE_SM_SECURITY_ADMIN_KEY");
        setup.put("gc", gcName(gcLog("member-0")));
        setup.put("pinning", "none: the members and wrk share all cores (see README)");
    }

    private Path gcLog(String member) {
        return work.resolve(member + "-gc.log");
    }

    /** Stops every member at once (one at a time would make the others migrate its partitions). */
    void stopMembers() {
        for (ManagerMember m : members) {
            if (m.alive()) {
                Bench.log("stopping %s", m.name);
            }
        }
        List<Thread> stoppers = new ArrayList<>();
        for (ManagerMember m : members) {
            Thread t = new Thread(m::close, "stop-" + m.name);
            t.start();
            stoppers.add(t);
        }
        for (Thread t : stoppers) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        members.clear();
        if (work != null) {
            try {
                Builds.deleteTree(work.resolve("manager-classpath"));
            } catch (IOException e) {
                // scratch space; git ignores it
            }
        }
    }

    private void jcmd(ManagerMember m, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(m.pid())));
        cmd.addAll(List.of(args));
        String out = Bench.run(60, cmd.toArray(new String[0]));
        if (out.isEmpty()) {
            Bench.log("  jcmd %s on %s gave no answer", args[0], m.name);
        }
    }

    // ---------------------------------------------------------------- population

    private record NodeSpec(String id, String role, String region, String host) {}

    private static String region(int r) {
        return "region-" + r;
    }

    private static String stream(int i) {
        return "s" + i;
    }

    private Map<String, Object> populate() throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        int origins = nodeCount * 5 / 100;
        int relays = nodeCount * 15 / 100;
        int edges = nodeCount - origins - relays;
        List<NodeSpec> nodes = new ArrayList<>();
        addNodes(nodes, "origin", origins);
        addNodes(nodes, "relay", relays);
        addNodes(nodes, "edge", edges);
        out.put("nodes", Map.of("origin", origins, "relay", relays, "edge", edges, "regions", regions));

        // 1. every node registers
        long t = System.nanoTime();
        sendAll("register", nodes.size(), i -> {
            NodeSpec n = nodes.get(i);
            return post(i, "/api/v1/nodes/register", Bench.fmt("{\"id\":\"%s\",\"role\":\"%s\",\"region\":\"%s\","
                    + "\"host\":\"%s\",\"srtPort\":9000,\"httpPort\":8000}", n.id(), n.role(), n.region(), n.host()));
        }, (i, body) -> { });
        out.put("registerSeconds", secondsSince(t));

        // 2. one ready heartbeat each: INSERVICE
        for (NodeSpec n : nodes) {
            beats.put(n.id(), heartbeat(0, List.of()));
        }
        t = System.nanoTime();
        List<String> ids = new ArrayList<>(beats.keySet());
        sendAll("ready heartbeat", ids.size(), i -> put(i, "/api/v1/nodes/" + ids.get(i) + "/heartbeat", beats.get(ids.get(i))),
                (i, body) -> { });
        out.put("readyHeartbeatSeconds", secondsSince(t));
        lastBeatRoundNanos = System.nanoTime();

        // 3. a publish placement per stream, from its home region
        String[] originOf = new String[streamCount];
        t = System.nanoTime();
        sendAll("publish placement", streamCount, i -> get(i, "/api/v1/streams/" + APP + "/" + stream(i) + "/publish?region="
                + region(i % regions)), (i, body) -> originOf[i] = Bench.JSON.readTree(body).path("node").path("id").asText());
        out.put("publishSeconds", secondsSince(t));

        // 4. every origin reports its streams as publishing: they become live
        Map<String, List<String>> byOrigin = new TreeMap<>();
        for (NodeSpec n : nodes) {
            if (n.role().equals("origin")) {
                byOrigin.put(n.id(), new ArrayList<>());
            }
        }
        for (int i = 0; i < streamCount; i++) {
            byOrigin.computeIfAbsent(originOf[i], k -> new ArrayList<>()).add(APP + "/" + stream(i));
        }
        int most = 0;
        int least = Integer.MAX_VALUE;
        for (List<String> l : byOrigin.values()) {
            most = Math.max(most, l.size());
            least = Math.min(least, l.size());
        }
        if (most > 10_000) {
            throw new IllegalStateException("an origin holds " + most + " streams: more than one heartbeat can report (10,000)");
        }
        out.put("streamsPerOrigin", Map.of("min", least, "max", most, "mean", round1((double) streamCount / byOrigin.size())));
        byOrigin.forEach((id, keys) -> beats.put(id, heartbeat(keys.size(), keys)));
        List<String> originIds = new ArrayList<>(byOrigin.keySet());
        t = System.nanoTime();
        sendAll("origin heartbeat (streams publishing)", originIds.size(),
                i -> put(i, "/api/v1/nodes/" + originIds.get(i) + "/heartbeat", beats.get(originIds.get(i))), (i, body) -> { });
        out.put("originHeartbeatSeconds", secondsSince(t));
        lastBeatRoundNanos = System.nanoTime();

        // 5. every member sees the whole registry, in service and live
        t = System.nanoTime();
        Map<String, Object> seen = new LinkedHashMap<>();
        for (ManagerMember m : members) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            JsonNode c;
            while (true) {
                c = Bench.JSON.readTree(m.get("/api/v1/cluster", adminKey).body());
                if (c.path("nodes").path("INSERVICE").asInt() == nodeCount && c.path("liveStreams").asInt() == streamCount) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(m.name + " does not see the registry: " + c);
                }
                Bench.sleep(1000);
            }
            seen.put(m.name, Map.of("inServiceNodes", c.path("nodes").path("INSERVICE").asInt(),
                    "streams", c.path("streams").asInt(), "liveStreams", c.path("liveStreams").asInt()));
        }
        out.put("verifySeconds", secondsSince(t));
        out.put("seenByEachMember", seen);
        Bench.log("registry ready on every member: %d nodes INSERVICE, %d streams live (%d to %d per origin)",
                nodeCount, streamCount, least, most);
        return out;
    }

    private void addNodes(List<NodeSpec> nodes, String role, int count) {
        for (int k = 0; k < count; k++) {
            int r = k % regions;
            int n = nodes.size();
            nodes.add(new NodeSpec(Bench.fmt("%s-%s-%05d", region(r), role, k), role, region(r),
                    "10." + r + "." + (n / 250 % 250) + "." + (n % 250 + 1)));
        }
    }

    private static String heartbeat(int publishers, List<String> streams) {
        StringBuilder sb = new StringBuilder(64 + streams.size() * 90);
        sb.append("{\"ready\":true,\"load\":{\"cpu\":0.1,\"mbpsIn\":0,\"mbpsOut\":0,\"publishers\":").append(publishers)
                .append(",\"subscribers\":0,\"streams\":").append(streams.size()).append("},\"streams\":[");
        for (int i = 0; i < streams.size(); i++) {
            sb.append(i == 0 ? "" : ",").append("{\"key\":\"").append(streams.get(i))
                    .append("\",\"publishing\":true,\"subscribers\":0,\"kbps\":3000,\"upstream\":null}");
        }
        return sb.append("]}").toString();
    }

    /**
     * Waits (up to 2 minutes) until processes other than ours use less than 15% of a core over 2 s:
     * another engineer's build or test suite would take CPU from the members and wrk.
     */
    private void awaitQuiet() {
        Set<Long> ours = new HashSet<>();
        ours.add(ProcessHandle.current().pid());
        for (ManagerMember m : members) {
            ours.add(m.pid());
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        boolean said = false;
        while (true) {
            Map<Long, Double> a = ProcCpu.allProcesses();
            Bench.sleep(2000);
            Map<Long, Double> b = ProcCpu.allProcesses();
            double others = 0;
            for (Map.Entry<Long, Double> e : b.entrySet()) {
                if (!ours.contains(e.getKey()) && !ProcCpu.kernelThread(e.getKey())) {
                    others += Math.max(0, e.getValue() - a.getOrDefault(e.getKey(), 0.0));
                }
            }
            double pct = 100 * others / 2.0;
            if (pct < 15 || System.nanoTime() > deadline) {
                if (said) {
                    Bench.log("  other processes at %.0f%% of a core: going on", pct);
                }
                return;
            }
            if (!said) {
                Bench.log("  other processes use %.0f%% of a core: waiting for them to go quiet (at most 2 min)", pct);
                said = true;
            }
        }
    }

    /** Between steps: if half the heartbeat timeout has passed, every node heartbeats again. */
    private void refreshIfNeeded() throws Exception {
        if (System.nanoTime() - lastBeatRoundNanos < TimeUnit.MILLISECONDS.toNanos(HEARTBEAT_TIMEOUT_MS / 2)) {
            return;
        }
        List<String> ids = new ArrayList<>(beats.keySet());
        sendAll("heartbeat refresh (between steps)", ids.size(),
                i -> put(i, "/api/v1/nodes/" + ids.get(i) + "/heartbeat", beats.get(ids.get(i))), (i, body) -> { });
        lastBeatRoundNanos = System.nanoTime();
        Bench.sleep(2000);
    }

    private HttpRequest.Builder request(int i, String path) {
        return HttpRequest.newBuilder(URI.create(members.get(i % members.size()).base() + path))
                .timeout(Duration.ofSeconds(30));
    }

    private HttpRequest get(int i, String path) {
        return request(i, path).GET().build();
    }

    private HttpRequest post(int i, String path, String json) {
        return request(i, path).header("authorization", "Bearer " + joinToken).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpRequest put(int i, String path, String json) {
        return request(i, path).header("authorization", "Bearer " + joinToken).header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    interface OnBody {
        void accept(int index, String body) throws Exception;
    }

    /**
     * Sends {@code count} requests, at most --populate-concurrency in flight, spread over the members
     * (request i goes to member i mod members); a failure is retried up to 5 times. Prints progress.
     */
    private void sendAll(String what, int count, IntFunction<HttpRequest> make, OnBody onOk) throws Exception {
        int concurrency = Integer.parseInt(o.get("populate-concurrency"));
        Semaphore slots = new Semaphore(concurrency);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        AtomicReference<String> fatal = new AtomicReference<>();
        CountDownLatch all = new CountDownLatch(count);
        long t0 = System.nanoTime();
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread th = new Thread(r, "progress");
            th.setDaemon(true);
            return th;
        });
        progress.scheduleAtFixedRate(() -> Bench.log("  %s: %d/%d (%.0f/s)%s", what, done.get(), count,
                done.get() / Math.max(1e-9, secondsSince(t0)), retries.get() > 0 ? ", " + retries.get() + " retried" : ""),
                2, 2, TimeUnit.SECONDS);
        try {
            for (int i = 0; i < count && fatal.get() == null; i++) {
                slots.acquire();
                send(i, make, onOk, 0, slots, done, retries, fatal, all);
            }
            if (fatal.get() == null) {
                while (!all.await(1, TimeUnit.SECONDS)) {
                    if (fatal.get() != null) {
                        break;
                    }
                }
            }
        } finally {
            progress.shutdownNow();
        }
        if (fatal.get() != null) {
            throw new IllegalStateException(what + " failed: " + fatal.get());
        }
        Bench.log("  %s: %d done in %.1f s (%.0f/s)%s", what, count, secondsSince(t0), count / secondsSince(t0),
                retries.get() > 0 ? ", " + retries.get() + " retries" : "");
    }

    private void send(int i, IntFunction<HttpRequest> make, OnBody onOk, int attempt, Semaphore slots, AtomicInteger done,
                      AtomicInteger retries, AtomicReference<String> fatal, CountDownLatch all) {
        http.sendAsync(make.apply(i), HttpResponse.BodyHandlers.ofString()).whenComplete((r, err) -> {
            String problem = err != null ? err.toString() : r.statusCode() / 100 != 2 ? r.statusCode() + " " + r.body() : null;
            if (problem == null) {
                try {
                    onOk.accept(i, r.body());
                } catch (Exception e) {
                    problem = "bad answer: " + e + ": " + r.body();
                }
            }
            if (problem != null && attempt < 5) {
                if (retries.getAndIncrement() == 0) {
                    Bench.log("  retrying request %d (%s): %s", i, make.apply(i).uri(),
                            problem.length() > 300 ? problem.substring(0, 300) + "..." : problem);
                }
                Bench.sleep(200L << attempt);
                send(i, make, onOk, attempt + 1, slots, done, retries, fatal, all);
                return;
            }
            if (problem != null) {
                fatal.compareAndSet(null, "request " + i + " (" + make.apply(i).uri() + "): " + problem);
            }
            done.incrementAndGet();
            all.countDown();
            slots.release();
        });
    }

    // ---------------------------------------------------------------- load

    /**
     * The request file for wrk (see bench/wrk/placement.lua): {@code --request-lines} lines, each
     * "P path" (publish, {@code share} percent) or "S path" (subscribe). A publish names a stream drawn
     * uniformly from all streams and the stream's home region (its publisher, reconnecting). A
     * subscribe names a stream drawn from Zipf({@code zipf}) over all streams, the popularity ranks
     * shuffled over the stream names (so popular streams are not all s0, s1, ... on the same origins
     * and regions), and a region drawn uniformly.
     */
    private Map<String, Object> writeRequests(int share, double zipf) throws IOException {
        int lines = Integer.parseInt(o.get("request-lines"));
        Random rnd = new Random(Long.parseLong(o.get("seed")) * 31 + share);
        int[] byRank = new int[streamCount];
        for (int i = 0; i < streamCount; i++) {
            byRank[i] = i;
        }
        for (int i = streamCount - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int x = byRank[i];
            byRank[i] = byRank[j];
            byRank[j] = x;
        }
        double[] cdf = new double[streamCount];
        double sum = 0;
        for (int r = 0; r < streamCount; r++) {
            sum += zipf == 0 ? 1 : Math.pow(r + 1, -zipf);
            cdf[r] = sum;
        }
        Map<Integer, Integer> perStream = new HashMap<>();
        int publishes = 0;
        List<BufferedWriter> files = new ArrayList<>();
        for (int t = 1; t <= memberCount; t++) {
            files.add(Files.newBufferedWriter(work.resolve("requests-p" + share + "-t" + t + ".txt")));
        }
        try {
            for (int n = 0; n < lines; n++) {
                BufferedWriter w = files.get(n % files.size());
                if (rnd.nextInt(100) < share) {
                    int s = rnd.nextInt(streamCount);
                    w.write("P /api/v1/streams/" + APP + "/" + stream(s) + "/publish?region=" + region(s % regions) + "\n");
                    publishes++;
                } else {
                    int rank = java.util.Arrays.binarySearch(cdf, rnd.nextDouble() * sum);
                    rank = rank >= 0 ? rank : Math.min(streamCount - 1, -rank - 1);
                    int s = byRank[rank];
                    perStream.merge(s, 1, Integer::sum);
                    w.write("S /api/v1/streams/" + APP + "/" + stream(s) + "/subscribe?region=" + region(rnd.nextInt(regions))
                            + "\n");
                }
            }
        } finally {
            for (BufferedWriter w : files) {
                w.close();
            }
        }
        Path file = work.resolve("requests-p" + share + "-t{thread}.txt");
        int subs = lines - publishes;
        int top = perStream.values().stream().max(Integer::compare).orElse(0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("files", file + " (one per wrk thread, lines dealt round-robin)");
        out.put("lines", lines);
        out.put("publishSharePct", share);
        out.put("publishLines", publishes);
        out.put("subscribeLines", subs);
        out.put("subscribeDistribution", zipf == 0 ? "uniform" : "Zipf(" + zipf + ") over " + streamCount + " streams");
        out.put("distinctStreamsSubscribed", perStream.size());
        out.put("mostPopularStreamSharePct", subs == 0 ? 0 : round2(100.0 * top / subs));
        Bench.log("request files %s: %d lines, %d%% publish%s", file.getFileName(), lines, share, subs == 0 ? ""
                : Bench.fmt("; subscribes over %d distinct streams, the most popular getting %.2f%%", perStream.size(),
                out.get("mostPopularStreamSharePct")));
        return out;
    }

    /** Runs wrk once: {@code connections} in total, one thread per member. */
    private Map<String, Object> wrk(int connections, int share, int rate, int seconds, String tag) throws Exception {
        Path script = Bench.root().resolve("bench/wrk/placement.lua");
        Path out = work.resolve("wrk-" + tag + ".txt");
        StringBuilder ports = new StringBuilder();
        for (ManagerMember m : members) {
            ports.append(ports.length() == 0 ? "" : ",").append(m.httpPort);
        }
        List<String> cmd = List.of("wrk", "-t" + members.size(), "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
                "--latency", "-s", script.toString(), members.get(0).base());
        Map<String, String> env = new TreeMap<>(Map.of("PLACEMENT_PORTS", ports.toString(),
                "PLACEMENT_REQUESTS", work.resolve("requests-p" + share + "-t{thread}.txt").toString()));
        if (rate > 0) {
            env.put("PLACEMENT_RATE", Integer.toString(rate));
        }
        Process p = Bench.start(cmd, out, env);
        wrkPid = p.pid();
        boolean finished = p.waitFor(seconds + 60L, TimeUnit.SECONDS);
        Bench.stop(p);
        if (!finished) {
            throw new IllegalStateException("wrk did not finish; output " + out);
        }
        String text = Files.readString(out);
        Matcher m = Pattern.compile("(?m)^PLACEMENT_RESULT (\\{.*\\})$").matcher(text);
        if (p.exitValue() != 0 || !m.find()) {
            throw new IllegalStateException("wrk failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n" + text);
        }
        JsonNode r = Bench.JSON.readTree(m.group(1));
        Map<String, Object> res = new LinkedHashMap<>();
        StringBuilder envText = new StringBuilder();
        env.forEach((k, v) -> envText.append(k).append('=').append(v).append(' '));
        res.put("wrkCommand", envText + String.join(" ", cmd));
        res.put("wrkOutput", out.toString());
        double secs = r.path("durationUs").asDouble() / 1e6;
        long requests = r.path("requests").asLong();
        res.put("seconds", round2(secs));
        res.put("requests", requests);
        res.put("requestsPerSecond", Math.round(requests / secs));
        Map<String, Object> lat = new LinkedHashMap<>();
        r.path("latencyUs").fields().forEachRemaining(e -> lat.put(e.getKey() + "Ms", round3(e.getValue().asDouble() / 1000)));
        res.put("latency", lat);
        Map<String, Object> errors = new LinkedHashMap<>();
        r.path("errors").fields().forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asLong()));
        res.put("wrkErrors", errors);
        List<Map<String, Object>> perThread = new ArrayList<>();
        long pub = 0;
        long sub = 0;
        for (JsonNode t : r.path("threads")) {
            perThread.add(Map.of("port", t.path("port").asInt(), "subscribesSent", t.path("subscribesSent").asLong(),
                    "publishesSent", t.path("publishesSent").asLong()));
            pub += t.path("publishesSent").asLong();
            sub += t.path("subscribesSent").asLong();
        }
        res.put("sentPerMember", perThread);
        res.put("publishSentPct", pub + sub == 0 ? 0 : round2(100.0 * pub / (pub + sub)));
        return res;
    }

    private long wrkPid;

    private static double latencyMs(Map<String, Object> wrkResult, String q) {
        @SuppressWarnings("unchecked")
        Map<String, Object> lat = (Map<String, Object>) wrkResult.get("latency");
        return ((Number) lat.get(q + "Ms")).doubleValue();
    }

    // ---------------------------------------------------------------- one step

    private Map<String, Object> step(int connections, int share, int rate, int seconds, String label) throws Exception {
        awaitQuiet();
        List<Map<String, Double>> before = new ArrayList<>();
        Map<String, Object> scrapeMs = new LinkedHashMap<>();
        for (ManagerMember m : members) {
            long t = System.nanoTime();
            before.add(m.metrics());
            scrapeMs.put(m.name, Math.round(secondsSince(t) * 1000));
        }
        Bench.sleep(3000); // a scrape builds the members' stream index (100k entries): let that pass
        Set<Long> ours = new HashSet<>();
        ours.add(ProcessHandle.current().pid());
        for (ManagerMember m : members) {
            ours.add(m.pid());
        }
        List<Map<Long, Double>> threads0 = new ArrayList<>();
        for (ManagerMember m : members) {
            threads0.add(ProcCpu.threads(m.pid()));
        }
        double[] memberCpu0 = new double[members.size()];
        for (int i = 0; i < members.size(); i++) {
            memberCpu0[i] = ProcCpu.processSeconds(members.get(i).pid());
        }
        double children0 = childrenSeconds();
        Map<Long, Double> all0 = ProcCpu.allProcesses();
        long[] mach0 = ProcCpu.machine();
        OffsetDateTime from = OffsetDateTime.now();
        long t0 = System.nanoTime();

        Map<String, Object> w = wrk(connections, share, rate, seconds, "step-" + label.replaceAll("[^0-9a-z]+", "-"));

        double wall = secondsSince(t0);
        OffsetDateTime to = OffsetDateTime.now();
        long[] mach1 = ProcCpu.machine();
        Map<Long, Double> all1 = ProcCpu.allProcesses();
        double wrkCpu = childrenSeconds() - children0; // wrk was reaped: its CPU is now in our children's times
        ours.add(wrkPid);
        double[] memberCpu = new double[members.size()];
        for (int i = 0; i < members.size(); i++) {
            memberCpu[i] = ProcCpu.processSeconds(members.get(i).pid()) - memberCpu0[i];
        }
        List<Map<Long, Double>> threads1 = new ArrayList<>();
        for (ManagerMember m : members) {
            threads1.add(ProcCpu.threads(m.pid()));
        }
        List<Map<String, Double>> after = new ArrayList<>();
        for (ManagerMember m : members) {
            after.add(m.metrics());
        }

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("label", label);
        s.put("from", from.toInstant().toString());
        s.put("to", to.toInstant().toString());
        s.put("connections", connections);
        s.put("connectionsPerMember", connections / members.size());
        s.put("load", rate > 0 ? "paced" : "closed loop");
        s.put("offeredRequestsPerSecond", rate > 0 ? rate : null);
        s.put("publishSharePct", share);
        s.putAll(w);
        // the members' own account: answers by endpoint and status, rejections, time in the placer
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Long> rejections = new TreeMap<>();
        long non2xx = 0;
        double placerCount = 0;
        double placerSum = 0;
        for (int i = 0; i < members.size(); i++) {
            for (Map.Entry<String, Double> e : after.get(i).entrySet()) {
                double d = e.getValue() - before.get(i).getOrDefault(e.getKey(), 0.0);
                String k = e.getKey();
                if (k.startsWith("cascade_manager_requests_total{") && d > 0) {
                    String endpoint = label(k, "endpoint");
                    String status = label(k, "status");
                    byStatus.merge(endpoint + " " + status, Math.round(d), Long::sum);
                    if (!status.startsWith("2")) {
                        non2xx += Math.round(d);
                    }
                } else if (k.startsWith("cascade_manager_rejections_total{") && d > 0) {
                    rejections.merge(label(k, "reason"), Math.round(d), Long::sum);
                } else if (k.startsWith("cascade_manager_placement_duration_seconds_count")) {
                    placerCount += d;
                } else if (k.startsWith("cascade_manager_placement_duration_seconds_sum")) {
                    placerSum += d;
                }
            }
        }
        s.put("answersByEndpointAndStatus", byStatus);
        s.put("non2xxAnswers", non2xx);
        s.put("rejections", rejections);
        s.put("placerMeanUs", placerCount == 0 ? 0 : round2(placerSum / placerCount * 1e6));
        @SuppressWarnings("unchecked")
        Map<String, Long> we = (Map<String, Long>) w.get("wrkErrors");
        long wrkErrors = we.values().stream().mapToLong(Long::longValue).sum();
        s.put("errorsTotal", wrkErrors - we.getOrDefault("status", 0L) + Math.max(non2xx, we.getOrDefault("status", 0L)));
        // CPU, in % of one core
        Map<String, Object> perMember = new LinkedHashMap<>();
        double membersTotal = 0;
        for (int i = 0; i < members.size(); i++) {
            perMember.put(members.get(i).name, round1(100 * memberCpu[i] / wall));
            membersTotal += memberCpu[i];
        }
        s.put("membersCpuPct", round1(100 * membersTotal / wall));
        s.put("memberCpuPct", perMember);
        s.put("wrkCpuPct", round1(100 * wrkCpu / wall));
        s.put("machineBusyPct", round1(pct(mach1[0] - mach0[0], mach1[1] - mach0[1])));
        double others = 0;
        double kernel = 0;
        for (Map.Entry<Long, Double> e : all1.entrySet()) {
            if (ours.contains(e.getKey())) {
                continue;
            }
            double d = Math.max(0, e.getValue() - all0.getOrDefault(e.getKey(), 0.0));
            if (ProcCpu.kernelThread(e.getKey())) {
                kernel += d;
            } else {
                others += d;
            }
        }
        s.put("otherProcessesCpuPct", round1(100 * others / wall));
        s.put("kernelThreadsCpuPct", round1(100 * kernel / wall));
        int cores = Runtime.getRuntime().availableProcessors();
        s.put("machineCpuUsPerRequest", round1((mach1[0] - mach0[0]) / ProcCpu.HZ * 1e6
                / Math.max(1, ((Number) w.get("requests")).longValue())));
        s.put("cores", cores);
        // GC pauses per member in the window
        Map<String, Object> gc = new LinkedHashMap<>();
        for (ManagerMember m : members) {
            gc.put(m.name, gcPauses(gcLog(m.name), from, to));
        }
        s.put("gcPauses", gc);
        // a /metrics answer builds the member's stream index (gauge cascade_manager_streams) on an event loop
        s.put("metricsScrapeMsBeforeStep", scrapeMs);
        // where each member's CPU went, by thread group (named from jcmd Thread.print after the window)
        Map<String, Object> byThread = new LinkedHashMap<>();
        for (int i = 0; i < members.size(); i++) {
            byThread.put(members.get(i).name, threadGroups(members.get(i), threads0.get(i), threads1.get(i), memberCpu[i], wall));
        }
        s.put("memberCpuPctByThreadGroup", byThread);
        Map<String, Double> sum = new HashMap<>();
        for (Object v : byThread.values()) {
            ((Map<?, ?>) v).forEach((k, pct) -> sum.merge((String) k, ((Number) pct).doubleValue(), Double::sum));
        }
        Map<String, Object> total = new LinkedHashMap<>();
        sum.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> total.put(e.getKey(), round1(e.getValue())));
        s.put("membersCpuPctByThreadGroupTotal", total);
        double achieved = ((Number) w.get("requestsPerSecond")).doubleValue();
        // a paced step counts only if it kept its rate (within 3%)
        s.put("rateKept", rate == 0 || achieved >= 0.97 * rate);
        s.put("meetsGoal", achieved >= 0.97 * GOAL_RPS && (Boolean) s.get("rateKept")
                && latencyMs(w, "p99") < GOAL_P99_MS && (Long) s.get("errorsTotal") == 0);
        return s;
    }

    private static final Pattern THREAD_LINE = Pattern.compile("^\"([^\"]+)\".* nid=0x([0-9a-f]+) ");

    /**
     * A member's CPU in the window by thread group, in % of one core: each live thread's delta from
     * /proc/PID/task, named from {@code jcmd Thread.print} (its {@code nid} is the Linux thread id);
     * what threads that exited during the window used is the process's delta minus all live threads'.
     */
    private Map<String, Object> threadGroups(ManagerMember m, Map<Long, Double> before, Map<Long, Double> after,
                                             double processSeconds, double wall) {
        Map<Long, String> names = new HashMap<>();
        String dump = Bench.run(30, Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(m.pid()), "Thread.print");
        for (String line : dump.split("\n")) {
            Matcher t = THREAD_LINE.matcher(line);
            if (t.find()) {
                names.put(Long.parseLong(t.group(2), 16), t.group(1));
            }
        }
        Map<String, Double> groups = new TreeMap<>();
        double live = 0;
        for (Map.Entry<Long, Double> e : after.entrySet()) {
            double d = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            live += d;
            groups.merge(threadGroup(names.getOrDefault(e.getKey(), "?")), d, Double::sum);
        }
        groups.merge("threads that exited in the window", Math.max(0, processSeconds - live), Double::sum);
        Map<String, Object> out = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .filter(e -> e.getValue() / wall >= 0.005)
                .forEach(e -> out.put(e.getKey(), round1(100 * e.getValue() / wall)));
        return out;
    }

    static String threadGroup(String name) {
        if (name.startsWith("vert.x-eventloop")) {
            return "vert.x event loops (HTTP)";
        }
        if (name.startsWith("manager-scheduler")) {
            return "manager-scheduler (periodic work: pending exchange, janitor, resync)";
        }
        if (name.startsWith("hz.")) {
            String rest = name.replaceFirst("^hz\\.[^.]+\\.", "").replaceAll("\\d+", "N");
            return "hazelcast " + rest;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.equals("VM Thread")) {
            return "GC and VM thread";
        }
        if (name.startsWith("C1 ") || name.startsWith("C2 ")) {
            return "JIT compilers";
        }
        if (name.matches("Thread-\\d+")) {
            return "Thread-N (unnamed, short-lived)";
        }
        return name.replaceAll("\\d+", "N");
    }

    private void logStep(Map<String, Object> s) {
        Bench.log("  %-26s %7d req/s  p50 %6.2f  p90 %6.2f  p99 %6.2f  p99.9 %7.2f  max %7.1f ms  errors %d (non-2xx %d)"
                        + "  CPU%%: members %.0f (%s) wrk %.0f machine %.0f%% busy, other %.0f  GC max %s",
                s.get("label"), s.get("requestsPerSecond"), latencyMs(s, "p50"), latencyMs(s, "p90"), latencyMs(s, "p99"),
                latencyMs(s, "p99.9"), latencyMs(s, "max"), s.get("errorsTotal"), s.get("non2xxAnswers"),
                s.get("membersCpuPct"), s.get("memberCpuPct"), s.get("wrkCpuPct"), s.get("machineBusyPct"),
                s.get("otherProcessesCpuPct"), gcMaxSummary(s));
        @SuppressWarnings("unchecked")
        Map<String, Long> by = (Map<String, Long>) s.get("answersByEndpointAndStatus");
        Bench.log("    answers: %s", by);
        Bench.log("    members' CPU by thread group, %% of a core: %s", s.get("membersCpuPctByThreadGroupTotal"));
    }

    @SuppressWarnings("unchecked")
    private static String gcMaxSummary(Map<String, Object> s) {
        StringBuilder sb = new StringBuilder();
        for (Object v : ((Map<String, Object>) s.get("gcPauses")).values()) {
            Map<String, Object> g = (Map<String, Object>) v;
            sb.append(sb.length() == 0 ? "" : "/").append(g.get("maxMs"));
        }
        return sb + " ms";
    }

    private static String label(String sample, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(sample);
        return m.find() ? m.group(1) : "?";
    }

    /** utime + stime + cutime + cstime of this JVM's reaped children, in seconds (fields 16 and 17 of /proc/self/stat). */
    private static double childrenSeconds() {
        try {
            String s = Files.readString(Path.of("/proc/self/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / ProcCpu.HZ;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static final Pattern GC_LINE = Pattern.compile(
            "^\\[([^\\]]+)\\]\\[[^\\]]+\\] GC\\(\\d+\\) (Pause \\w+(?: \\([^)]*\\))*) .*?([0-9.]+)ms$");

    private static final Pattern GC_HEAP = Pattern.compile(" (\\d+)M->(\\d+)M\\(\\d+M\\) ");

    /** GC pauses logged (-Xlog:gc, time decoration) between {@code from} and {@code to}: count, total, max. */
    static Map<String, Object> gcPauses(Path log, OffsetDateTime from, OffsetDateTime to) {
        int count = 0;
        double total = 0;
        double max = 0;
        long allocatedMb = 0;
        long liveAfterMb = 0;
        Map<String, Integer> kinds = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(log)) {
                Matcher m = GC_LINE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                OffsetDateTime t = OffsetDateTime.parse(m.group(1).replaceAll("([+-]\\d\\d)(\\d\\d)$", "$1:$2"));
                if (t.isBefore(from) || t.isAfter(to)) {
                    continue;
                }
                double ms = Double.parseDouble(m.group(3));
                Matcher heap = GC_HEAP.matcher(line);
                if (m.group(2).startsWith("Pause Young") && heap.find()) {
                    allocatedMb += Long.parseLong(heap.group(1)) - Long.parseLong(heap.group(2));
                    liveAfterMb = Math.max(liveAfterMb, Long.parseLong(heap.group(2)));
                }
                count++;
                total += ms;
                max = Math.max(max, ms);
                kinds.merge(m.group(2).trim(), 1, Integer::sum);
            }
        } catch (IOException | RuntimeException e) {
            return Map.of("error", String.valueOf(e));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", count);
        out.put("totalMs", round1(total));
        out.put("maxMs", round1(max));
        out.put("kinds", kinds);
        double seconds = Duration.between(from, to).toMillis() / 1000.0;
        // what young collections freed: about what was allocated (a lower bound, eden left over is not counted)
        out.put("allocatedMBps", seconds <= 0 ? 0 : Math.round(allocatedMb / seconds));
        out.put("heapAfterYoungGcMaxMb", liveAfterMb);
        return out;
    }

    private static String gcName(Path log) {
        try {
            for (String line : Files.readAllLines(log)) {
                int at = line.indexOf("Using ");
                if (at >= 0) {
                    return line.substring(at + 6).trim();
                }
            }
        } catch (IOException e) {
            // no log yet
        }
        return "unknown";
    }

    // ---------------------------------------------------------------- results

    private Map<String, Object> summary(List<Map<String, Object>> steps, int share) {
        Map<String, Object> best = null;
        Map<String, Object> bestUnderGoalLatency = null;
        for (Map<String, Object> s : steps) {
            if (((Number) s.get("publishSharePct")).intValue() != share) {
                continue;
            }
            long rps = ((Number) s.get("requestsPerSecond")).longValue();
            if ("closed loop".equals(s.get("load")) && (best == null || rps > ((Number) best.get("requestsPerSecond")).longValue())) {
                best = s;
            }
            if (latencyMs(s, "p99") < GOAL_P99_MS && (Long) s.get("errorsTotal") == 0 && (Boolean) s.get("rateKept")
                    && (bestUnderGoalLatency == null
                    || rps > ((Number) bestUnderGoalLatency.get("requestsPerSecond")).longValue())) {
                bestUnderGoalLatency = s;
            }
        }
        boolean met = steps.stream().anyMatch(s -> (Boolean) s.get("meetsGoal")
                && ((Number) s.get("publishSharePct")).intValue() == share);
        long errors = steps.stream().mapToLong(s -> (Long) s.get("errorsTotal")).sum();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("goalMet", met);
        out.put("highestClosedLoopStep", best == null ? null : best.get("label"));
        out.put("highestClosedLoopRequestsPerSecond", best == null ? 0 : best.get("requestsPerSecond"));
        out.put("p99MsAtHighest", best == null ? 0 : latencyMs(best, "p99"));
        out.put("highestRequestsPerSecondWithP99Under5Ms", bestUnderGoalLatency == null ? 0
                : bestUnderGoalLatency.get("requestsPerSecond"));
        out.put("errorsAllSteps", errors);
        StringBuilder closed = new StringBuilder();
        StringBuilder paced = new StringBuilder();
        StringBuilder mixes = new StringBuilder();
        for (Map<String, Object> s : steps) {
            boolean main = ((Number) s.get("publishSharePct")).intValue() == share;
            if (!main) {
                mixes.append(Bench.fmt(" %d%% publish %d / %.1f;", s.get("publishSharePct"), s.get("requestsPerSecond"),
                        latencyMs(s, "p99")));
            } else if ("paced".equals(s.get("load"))) {
                paced.append(Bench.fmt(" %s %d / %.1f / %.1f%s;", s.get("offeredRequestsPerSecond"), s.get("requestsPerSecond"),
                        latencyMs(s, "p99"), latencyMs(s, "p99.9"), (Boolean) s.get("rateKept") ? "" : " (rate not kept)"));
            } else {
                closed.append(Bench.fmt(" %d conn %d / %.1f;", s.get("connections"), s.get("requestsPerSecond"),
                        latencyMs(s, "p99")));
            }
        }
        StringBuilder h = new StringBuilder(Bench.fmt("%d members, %d nodes, %d streams, %d%% publish.", memberCount, nodeCount,
                streamCount, share));
        if (closed.length() > 0) {
            h.append(" Closed loop, req/s / p99 ms:").append(closed);
        }
        if (paced.length() > 0) {
            h.append(" Paced, offered req/s: achieved / p99 / p99.9 ms:").append(paced);
        }
        if (mixes.length() > 0) {
            h.append(" Other mixes (closed loop), req/s / p99 ms:").append(mixes);
        }
        h.append(Bench.fmt(" Errors %d. Goal %.0f req/s at p99 < %.0f ms: %s.", errors, GOAL_RPS, GOAL_P99_MS,
                met ? "met" : "not met"));
        out.put("headline", h.toString());
        return out;
    }

    private String method(int share, double zipf) {
        return Bench.fmt("%d stream-manager members (separate JVMs, -Xms/-Xmx %s, default GC, unpinned) in one Hazelcast"
                        + " cluster on this machine; %d nodes (5%% origins, 15%% relays, 80%% edges over %d regions) registered"
                        + " and made INSERVICE, and %d streams placed and reported live by their origins, all through the"
                        + " REST API. nodes.heartbeatTimeoutMs=%d so the registry stays INSERVICE without heartbeats during"
                        + " the measurement (no heartbeat traffic competes with it). Load: one wrk process, one thread per"
                        + " member, connections split evenly; %d%% publish placements (uniform stream, its home region), the"
                        + " rest subscribe placements (stream %s, region uniform). Closed-loop steps: each connection sends"
                        + " its next request when the answer arrives. Paced steps: each wrk thread sends on a fixed schedule"
                        + " (Lua delay()), the offered rate held while connections are free. Latency = wrk's, from writing a"
                        + " request to reading its answer, over all members, with wrk 4's coordinated-omission correction"
                        + " (latencies above twice the mean per-connection interval add back-filled samples); errors ="
                        + " wrk's socket errors and timeouts plus every answer the members counted with a non-2xx status.",
                memberCount, o.get("heap"), nodeCount, regions, streamCount, HEARTBEAT_TIMEOUT_MS, share,
                zipf == 0 ? "uniform" : "Zipf(" + zipf + ")");
    }

    private void plot(String stamp, List<Map<String, Object>> steps, Path png) throws IOException, InterruptedException {
        Path dat = Bench.tmp().resolve("placement-" + stamp + ".dat");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(dat))) {
            w.println("# label reqPerSec p50 p90 p99 p99.9 membersCpuPct wrkCpuPct machineBusyPctOfAllCores errors"
                    + " otherProcessesCpuPct");
            for (Map<String, Object> s : steps) {
                w.printf(Locale.ROOT, "\"%s\" %d %.3f %.3f %.3f %.3f %.1f %.1f %.1f %d %.1f%n",
                        ((String) s.get("label")).replace(" conn", "c").replace("% publish", "% pub"),
                        ((Number) s.get("requestsPerSecond")).longValue(), latencyMs(s, "p50"), latencyMs(s, "p90"),
                        latencyMs(s, "p99"), latencyMs(s, "p99.9"), s.get("membersCpuPct"), s.get("wrkCpuPct"),
                        s.get("machineBusyPct"), s.get("errorsTotal"), s.get("otherProcessesCpuPct"));
            }
        }
        double maxRps = GOAL_RPS;
        double maxP99 = GOAL_P99_MS;
        for (Map<String, Object> s : steps) {
            maxRps = Math.max(maxRps, ((Number) s.get("requestsPerSecond")).doubleValue());
            maxP99 = Math.max(maxP99, latencyMs(s, "p99"));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Path gp = Bench.tmp().resolve("placement-" + stamp + ".gp");
        Files.writeString(gp, String.join("\n",
                "set terminal pngcairo size 1300,1200 font 'sans,11' noenhanced",
                "set output '" + png + "'",
                "set datafile separator whitespace",
                "set multiplot layout 3,1 title 'Cascade stream-manager placement " + stamp + ": " + memberCount + " members, "
                        + nodeCount + " nodes, " + streamCount + " streams, wrk closed loop and paced (" + cores + " cores shared)'",
                "set style fill solid 0.5 border -1",
                "set boxwidth 0.6",
                "set grid ytics",
                "set xtics rotate by -20",
                "set xrange [-0.5:" + (steps.size() - 0.5) + "]",
                "set title 'Requests per second (bars, left) and p99 latency (points, right); dashed: the goal (20000 req/s, 5 ms)'",
                "set ylabel 'requests/s'",
                "set y2label 'p99 ms'",
                "set ytics nomirror",
                "set y2tics",
                Bench.fmt("set yrange [0:%.0f]", maxRps * 1.2),
                Bench.fmt("set y2range [0:%.2f]", maxP99 * 1.2),
                "set key top left box opaque",
                "plot '" + dat + "' using 0:2:xtic(1) with boxes lc rgb '#1f77b4' title 'req/s', "
                        + GOAL_RPS + " with lines dt 2 lw 2 lc rgb '#1f77b4' title 'goal req/s', "
                        + "'' using 0:5 axes x1y2 with linespoints pt 7 ps 1.5 lw 2 lc rgb '#d62728' title 'p99 ms', "
                        + GOAL_P99_MS + " axes x1y2 with lines dt 2 lw 2 lc rgb '#d62728' title 'goal p99'",
                "set title 'Latency percentiles (ms, log scale)'",
                "unset y2label", "unset y2tics", "set ytics mirror",
                "set logscale y",
                "set ylabel 'ms'",
                "set yrange [*:*]",
                "plot '" + dat + "' using 0:3:xtic(1) with linespoints pt 7 title 'p50', "
                        + "'' using 0:4 with linespoints pt 5 title 'p90', "
                        + "'' using 0:5 with linespoints pt 9 lw 2 title 'p99', "
                        + "'' using 0:6 with linespoints pt 11 title 'p99.9'",
                "unset logscale y",
                "set title 'CPU, % of one core (the machine has " + cores + "00)'",
                "set ylabel 'CPU %'",
                "set yrange [0:" + (cores * 100 + 10) + "]",
                "plot '" + dat + "' using 0:7:xtic(1) with linespoints pt 7 lw 2 title 'three members', "
                        + "'' using 0:8 with linespoints pt 5 title 'wrk', "
                        + "'' using 0:($9*" + cores + ") with linespoints pt 3 dt 2 title 'whole machine', "
                        + "'' using 0:11 with linespoints pt 1 dt 3 title 'other processes'",
                "unset multiplot", ""));
        Bench.gnuplot(gp);
    }

    /** Draws a result's PNG again from its JSON ({@code --replot results/placement-STAMP.json}). */
    @SuppressWarnings("unchecked")
    private static void replot(Path json) throws Exception {
        Map<String, Object> doc = Bench.JSON.readValue(json.toFile(), Map.class);
        PlacementBench b = new PlacementBench((Map<String, String>) doc.get("options"));
        String stamp = json.getFileName().toString().replaceAll("^placement-(.*)\\.json$", "$1");
        b.plot(stamp, (List<Map<String, Object>>) doc.get("steps"), json.resolveSibling("placement-" + stamp + ".png"));
    }

    // ---------------------------------------------------------------- small helpers

    private static void requireTool(String tool, String install) {
        if (Bench.run(5, "sh", "-c", "command -v " + tool).isEmpty()) {
            throw new IllegalStateException(tool + " not found (" + install + "; bench/run installs it)");
        }
    }

    private static int[] ints(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::trim).filter(x -> !x.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
    }

    private static double secondsSince(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
