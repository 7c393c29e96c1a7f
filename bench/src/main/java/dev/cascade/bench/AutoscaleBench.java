package dev.cascade.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.node.srt.Srt;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The autoscaler end to end on the local platform: a stream manager whose autoscaler runs
 * {@code terraform apply} on terraform/modules/local, which starts and stops node processes.
 *
 * <ol>
 *   <li><b>Scale-out on load</b>, repeated: one edge (capacity 4 subscribers) gets 3 SRT viewers (75%,
 *       above the rule's 70%); the time from the first heartbeat that shows the load to the new edge
 *       INSERVICE, in phases: the sustain wait (to the SCALE_OUT decision), the apply (to APPLIED; the
 *       node's JVM is started inside it), the node's boot (its JVM's start to its registration) and
 *       registration to INSERVICE. The goal: under 15 s plus the platform's own boot time. Between runs
 *       the viewers leave and the group scales back in (DRAIN, TERMINATE, destroy), also timed.</li>
 *   <li><b>Scheduled event</b>: with the group at one edge, an event starting in 40 s that needs 3 edges
 *       (6 viewers, 4 per edge filled to 70%): when the extra edges were INSERVICE relative to the
 *       start (the margin), the lead the autoscaler used (SCALE_OUT to the start), and the release
 *       after the end.</li>
 * </ol>
 *
 * <p>Everything the autoscaler does is read from the manager's API (decisions, nodes, deployments);
 * the nodes' process start times from the local module's pid files ({@code pid starttime}, the
 * kernel's start time in clock ticks since boot). All clocks are this machine's.
 */
public final class AutoscaleBench {
    static final String USAGE = """
            bench/run autoscale [options]
              --repeats 5               scale-out runs (each followed by a scale-in)
              --viewers 3               SRT viewers put on the edge (3 of 4 = 75%, above 70%)
              --max-subscribers 4       the edge rule's capacity.maxSubscribers
              --sustain-ms 2000         autoscaler.sustainMs (load above/below a threshold this long before scaling)
              --interval-ms 500         autoscaler.intervalMs (the autoscaler's tick)
              --heartbeat-ms 500        nodes.heartbeatIntervalMs (how often nodes report their load)
              --lead-safety-factor 1.5  autoscaler.leadSafetyFactor (scheduled events: boot time x this, ahead)
              --event-in 40             seconds from creating the scheduled event to its start
              --event-seconds 5         how long the event lasts
              --event-viewers 6         the event's expectedViewers (6 at 4 per edge filled to 70% = 3 edges)
              --goal-seconds 15         overload -> INSERVICE must take less than this plus the node's boot time""";

    static final String GROUP = "bench";
    static final String STREAM = "live/autoscale-bench";
    static final int SRT_LATENCY_MS = 120;

    private final Map<String, String> o;
    private final int repeats;
    private final int viewerCount;
    private final int maxSubscribers;
    private final long sustainMs;
    private final long intervalMs;
    private final long heartbeatMs;
    private final double leadSafety;
    private final double goalSeconds;
    private final String adminKey = ManagerMember.secret("bak_");
    private final String joinToken = ManagerMember.secret("bjt_");
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final long t0Nanos = System.nanoTime();

    private Path work;
    private Path tfWork;
    private ManagerMember manager;
    private Process publisher;
    private final List<Viewer> viewers = new ArrayList<>();
    private volatile boolean cleanedUp;

    /** The group's nodes at the last poll. */
    private Map<String, NodeView> nodes = Map.of();
    /** What the polls saw of each node over the run (the API only shows the current state). */
    private final Map<String, Map<String, Object>> seen = new TreeMap<>();
    /** Node id -> {pid, start time in clock ticks since boot}, from the local module's pid files. */
    private final Map<String, long[]> pids = new ConcurrentHashMap<>();
    private final Map<String, Instant> processStart = new ConcurrentHashMap<>();
    private final Map<String, Instant> processGone = new ConcurrentHashMap<>();
    private long clockTicks = 100;

    private AutoscaleBench(Map<String, String> o) {
        this.o = o;
        this.repeats = Integer.parseInt(o.get("repeats"));
        this.viewerCount = Integer.parseInt(o.get("viewers"));
        this.maxSubscribers = Integer.parseInt(o.get("max-subscribers"));
        this.sustainMs = Long.parseLong(o.get("sustain-ms"));
        this.intervalMs = Long.parseLong(o.get("interval-ms"));
        this.heartbeatMs = Long.parseLong(o.get("heartbeat-ms"));
        this.leadSafety = Double.parseDouble(o.get("lead-safety-factor"));
        this.goalSeconds = Double.parseDouble(o.get("goal-seconds"));
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--replot")) {
            replot(Path.of(args[1]));
            return;
        }
        Map<String, String> d = new LinkedHashMap<>();
        d.put("repeats", "5");
        d.put("viewers", "3");
        d.put("max-subscribers", "4");
        d.put("sustain-ms", "2000");
        d.put("interval-ms", "500");
        d.put("heartbeat-ms", "500");
        d.put("lead-safety-factor", "1.5");
        d.put("event-in", "40");
        d.put("event-seconds", "5");
        d.put("event-viewers", "6");
        d.put("goal-seconds", "15");
        AutoscaleBench b = new AutoscaleBench(Bench.options(args, d, USAGE));
        Runtime.getRuntime().addShutdownHook(new Thread(b::killNodes, "autoscale-bench-nodes"));
        int exit = 0;
        try {
            b.run();
        } catch (Exception e) {
            b.say("FAILED: %s", e);
            e.printStackTrace(System.err);
            if (b.manager != null) {
                b.say("stream manager log %s, last lines:%n%s", b.manager.log, b.manager.tail());
            }
            exit = 1;
        } finally {
            b.cleanup(null);
        }
        System.exit(exit);
    }

    // ---------------------------------------------------------------- the run

    private void run() throws Exception {
        Instant started = Instant.now();
        String stamp = Bench.stamp(started);
        for (String tool : List.of("terraform", "node", "ffmpeg", "gnuplot")) {
            if (Bench.run(5, "sh", "-c", "command -v " + tool).isEmpty()) {
                throw new IllegalStateException(tool + " not found on the PATH (terraform 1.5+ runs the local module,"
                        + " node runs cdktf's jsii, ffmpeg publishes, gnuplot plots)");
            }
        }
        String ticks = Bench.run(5, "getconf", "CLK_TCK");
        if (!ticks.isEmpty()) {
            clockTicks = Long.parseLong(ticks);
        }
        Map<String, Object> env = Bench.environment();
        // (the first line, unless terraform first warns about its CLI configuration)
        env.put("terraform", Bench.run(10, "terraform", "version").lines().filter(l -> l.startsWith("Terraform v"))
                .findFirst().orElse(""));
        env.put("node", Bench.run(5, "node", "--version"));
        env.put("ffmpeg", Bench.run(5, "sh", "-c", "ffmpeg -version | head -1"));
        env.put("sourcesDirty", !Bench.run(5, "git", "-C", Bench.root().toString(), "status", "--porcelain", "--",
                "stream-manager/src", "cloud-controller/src", "node/server/src", "common/src", "terraform").isEmpty());
        long[] m0 = ProcCpu.machine();
        Bench.sleep(1000);
        long[] m1 = ProcCpu.machine();
        double busy = 100.0 * (m1[0] - m0[0]) / Math.max(1, m1[1] - m0[1]);
        env.put("machineBusyBeforeRunPct", round(busy, 1));
        say("machine busy before the run: %.0f%% of %d cores%s", busy, Runtime.getRuntime().availableProcessors(),
                busy > 15 ? " (something else is running: boot times will be longer than on a quiet machine)" : "");

        work = Bench.tmp().resolve("autoscale");
        Files.createDirectories(work);
        tfWork = work.resolve("terraform");
        killStaleNodes(tfWork);
        Builds.deleteTree(tfWork);
        Files.createDirectories(tfWork);

        Map<String, Object> setup = new LinkedHashMap<>();
        Map<String, Object> builds = new LinkedHashMap<>();
        String managerCp = snapshot("stream-manager/target", "manager-classpath", builds, "streamManager");
        String nodeCp = snapshot("node/server/target", "node-classpath", builds, "node");
        setup.put("builds", builds);
        Path media = Bench.media("autoscale-320x180-300k.ts", List.of("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000", "-t", "10", "-c:v", "libx264",
                "-preset", "veryfast", "-tune", "zerolatency", "-b:v", "300k", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k"));

        // ------------------------------------------------------------ the stream manager
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String nodeCommand = java + " -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + nodeCp
                + "' dev.cascade.node.Main";
        List<String> sets = List.of(
                "cluster.name=autoscale-bench-" + ProcessHandle.current().pid(),
                "nodes.heartbeatIntervalMs=" + heartbeatMs,
                "nodes.heartbeatTimeoutMs=" + Math.max(3000, 6 * heartbeatMs),
                "autoscaler.intervalMs=" + intervalMs,
                "autoscaler.sustainMs=" + sustainMs,
                "autoscaler.drainTimeoutMs=30000",
                "autoscaler.bootTimeoutMs=120000",
                "autoscaler.leadSafetyFactor=" + o.get("lead-safety-factor"),
                "cloud.modulesDir=" + Bench.root().resolve("terraform/modules"),
                "cloud.workDir=" + tfWork,
                "cloud.nodeCommand=" + nodeCommand);
        Map<String, String> menv = Map.of("CASCADE_SM_SECURITY_JOIN_TOKEN", joinToken,
                "CASCADE_SM_SECURITY_ADMIN_KEY", adminKey, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20");
        int httpPort = Ports.free();
        int clusterPort = Ports.free();
        say("starting the stream manager (HTTP %d; autoscaler every %d ms, sustain %d ms; terraform work dir %s)",
                httpPort, intervalMs, sustainMs, tfWork);
        long ms0 = System.nanoTime();
        manager = ManagerMember.start("autoscale", Bench.logs().resolve("autoscale-manager.log"), managerCp, List.of(),
                httpPort, clusterPort, "127.0.0.1:" + clusterPort, sets, menv);
        setup.put("managerStartSeconds", round((System.nanoTime() - ms0) / 1e9, 2));
        setup.put("managerCommand", manager.commandLine());
        setup.put("managerConfigOverrides", sets);
        setup.put("managerEnvironment", "CASCADE_SM_SECURITY_JOIN_TOKEN and CASCADE_SM_SECURITY_ADMIN_KEY (random per run),"
                + " JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20");
        setup.put("managerLog", manager.log.toString());
        setup.put("nodeCommand", nodeCommand);
        setup.put("terraformWorkDir", tfWork.toString());

        // ------------------------------------------------------------ the group
        String edgeRule = "{\"role\":\"edge\",\"region\":\"local\",\"min\":1,\"max\":3,\"scaleOutThreshold\":0.7,"
                + "\"scaleInThreshold\":0.3,\"coolDownSeconds\":1,\"capacity\":{\"maxSubscribers\":" + maxSubscribers + "}}";
        String group = "{\"name\":\"" + GROUP + "\",\"rules\":[{\"role\":\"origin\",\"region\":\"local\",\"min\":1,\"max\":1},"
                + "{\"role\":\"relay\",\"region\":\"local\",\"min\":1,\"max\":1}," + edgeRule + "]}";
        setup.put("nodeGroup", Bench.JSON.readTree(group));
        Instant groupAt = Instant.now();
        Resp r = call("POST", "/nodegroups", group);
        if (r.status != 201) {
            throw new IllegalStateException("creating the node group: " + r.status + " " + r.body);
        }
        say("node group '%s' created: an origin, a relay and 1-3 edges; waiting for terraform and the nodes", GROUP);
        poll("an origin, a relay and an edge INSERVICE", 120, () -> count("origin", "INSERVICE") == 1
                && count("relay", "INSERVICE") == 1 && count("edge", "INSERVICE") == 1);
        setup.put("bringUp", bringUp(groupAt));

        // ------------------------------------------------------------ the stream
        JsonNode pub = call("GET", "/streams/" + STREAM + "/publish", null).json();
        String srtUrl = pub.path("srtUrl").asText();
        if (srtUrl.isEmpty()) {
            throw new IllegalStateException("no publish placement: " + pub);
        }
        publisher = Bench.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                "-stream_loop", "-1", "-i", media.toString(), "-map", "0", "-c", "copy", "-f", "mpegts", srtUrl),
                Bench.logs().resolve("autoscale-ffmpeg.log"));
        poll("the stream is live", 30, () -> {
            try {
                return call("GET", "/streams/" + STREAM, null).json().path("live").asBoolean();
            } catch (IOException e) {
                return false;
            }
        });
        say("publishing %s (ffmpeg -re -stream_loop -1 -c copy, 320x180 300 kbps) to %s", STREAM, srtUrl);
        setup.put("publisher", "ffmpeg -re -stream_loop -1 -i " + media.getFileName() + " -c copy -f mpegts " + srtUrl);

        // ------------------------------------------------------------ part 1
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int i = 1; i <= repeats; i++) {
            runs.add(scaleOutRun(i));
        }

        // ------------------------------------------------------------ part 2
        Map<String, Object> event = scheduledEvent();

        // ------------------------------------------------------------ results
        List<JsonNode> decisions = decisions();
        Map<String, Object> cleanup = new LinkedHashMap<>();
        cleanup(cleanup);

        Map<String, Object> summary = summary(runs, event);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("benchmark", "autoscale");
        doc.put("command", Bench.command("bench/run autoscale"));
        doc.put("started", started.toString());
        doc.put("options", o);
        doc.put("environment", env);
        doc.put("goal", Bench.fmt("overload -> new edge INSERVICE in under %.0f s plus the platform's own boot time (here:"
                + " the node JVM's start to its registration); a scheduled event's extra edges INSERVICE before its start",
                goalSeconds));
        doc.put("method", method());
        doc.put("setup", setup);
        doc.put("summary", summary);
        doc.put("scaleOutRuns", runs);
        doc.put("scheduledEvent", event);
        doc.put("cleanup", cleanup);
        doc.put("nodesSeen", seen);
        doc.put("decisions", decisions);
        Path json = Bench.results().resolve("autoscale-" + stamp + ".json");
        Path png = Bench.results().resolve("autoscale-" + stamp + ".png");
        Bench.writeJson(json, doc);
        plot(stamp, runs, event, seen, png);
        Bench.appendResultRow("autoscale", Bench.command("bench/run autoscale"), (String) summary.get("headline"), json, png);
        System.err.println();
        System.err.println(summary.get("text"));
        say("results: %s, %s", json, png);
    }

    /** The first apply of the group: three nodes at once, from a fresh terraform working directory. */
    private Map<String, Object> bringUp(Instant groupAt) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("groupCreatedAt", groupAt.toString());
        List<JsonNode> ds = decisions();
        JsonNode applied = first(ds, "APPLIED", null, groupAt);
        if (applied != null) {
            out.put("appliedSecondsAfterCreate", sec(groupAt, at(applied)));
            out.put("appliedReason", applied.path("reason").asText());
        }
        Map<String, Map<String, Object>> per = new LinkedHashMap<>();
        for (NodeView n : nodes.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("role", n.role);
            Instant ps = processStart.get(n.id);
            if (ps != null) {
                m.put("processStartSecondsAfterCreate", sec(groupAt, ps));
                m.put("bootSeconds", sec(ps, n.registeredAt));
            }
            m.put("registeredSecondsAfterCreate", sec(groupAt, n.registeredAt));
            m.put("inServiceSecondsAfterCreate", sec(groupAt, inServiceAt(n.id)));
            per.put(n.id, m);
        }
        out.put("nodes", per);
        say("bring-up: applied %.2f s after the group was created; nodes INSERVICE after %s s",
                out.getOrDefault("appliedSecondsAfterCreate", Double.NaN),
                per.values().stream().map(m -> String.valueOf(m.get("inServiceSecondsAfterCreate"))).toList());
        return out;
    }

    // ---------------------------------------------------------------- part 1: scale-out on load

    private Map<String, Object> scaleOutRun(int run) throws Exception {
        String edge = awaitSteady("run " + run);
        NodeView e = nodes.get(edge);
        Set<String> before = new HashSet<>(nodes.keySet());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run", run);
        out.put("loadedEdge", edge);

        Instant connectAt = Instant.now();
        for (int i = 0; i < viewerCount; i++) {
            viewers.add(Viewer.open(e.srtPort, "#!::r=" + STREAM + ",m=request", edge + "-v" + (i + 1)));
        }
        Instant connectedAt = Instant.now();
        Instant[] overload = new Instant[2];
        poll(edge + " reports " + viewerCount + " subscribers", 30, () -> {
            NodeView v = nodes.get(edge);
            if (v != null && v.subscribers >= viewerCount) {
                overload[0] = v.lastHeartbeatAt;
                overload[1] = Instant.now();
                return true;
            }
            return false;
        });
        Instant t0 = overload[0];
        say("run %d: %d SRT viewers on %s; the heartbeat at %s shows %d/%d (t0); waiting for a new edge", run, viewerCount,
                edge, t0, viewerCount, maxSubscribers);
        String[] added = new String[1];
        poll("a new edge INSERVICE", 120, () -> {
            for (NodeView v : nodes.values()) {
                if (!before.contains(v.id) && v.role.equals("edge")) {
                    added[0] = v.id;
                    if (v.state.equals("INSERVICE")) {
                        return true;
                    }
                }
            }
            return false;
        });
        String id = added[0];
        NodeView n = nodes.get(id);
        List<JsonNode> ds = decisions();
        JsonNode scaleOut = first(ds, "SCALE_OUT", id, connectAt);
        JsonNode applied = scaleOut == null ? null : first(ds, "APPLIED", id, at(scaleOut));
        Instant decided = scaleOut == null ? null : at(scaleOut);
        Instant appliedAt = applied == null ? null : at(applied);
        Instant proc = processStart.get(id);
        Instant registered = n.registeredAt;
        Instant inService = inServiceAt(id);

        Map<String, Object> times = new LinkedHashMap<>();
        times.put("viewersConnecting", connectAt.toString());
        times.put("viewersConnected", connectedAt.toString());
        times.put("overloadHeartbeat", t0.toString());
        times.put("overloadSeenByPoll", overload[1].toString());
        times.put("scaleOutDecision", str(decided));
        times.put("applied", str(appliedAt));
        times.put("processStart", str(proc));
        times.put("registered", str(registered));
        times.put("inService", str(inService));
        out.put("newEdge", id);
        out.put("times", times);
        Map<String, Object> rel = new LinkedHashMap<>();
        rel.put("scaleOutDecision", sec(t0, decided));
        rel.put("processStart", sec(t0, proc));
        rel.put("applied", sec(t0, appliedAt));
        rel.put("registered", sec(t0, registered));
        rel.put("inService", sec(t0, inService));
        out.put("secondsFromOverload", rel);
        Map<String, Object> ph = new LinkedHashMap<>();
        ph.put("sustainWait", sec(t0, decided));
        ph.put("decisionToApplied", sec(decided, appliedAt));
        ph.put("appliedToRegistered", sec(appliedAt, registered));
        ph.put("registeredToInService", sec(registered, inService));
        ph.put("decisionToProcessStart", sec(decided, proc));
        ph.put("boot", sec(proc, registered));
        ph.put("total", sec(t0, inService));
        out.put("phasesSeconds", ph);
        out.put("scaleOutReason", scaleOut == null ? null : scaleOut.path("reason").asText());
        out.put("appliedReason", applied == null ? null : applied.path("reason").asText());
        out.put("applyTookMs", applied == null ? null : tookMs(applied.path("reason").asText()));
        Double total = (Double) ph.get("total");
        Double boot = (Double) ph.get("boot");
        Map<String, Object> goal = new LinkedHashMap<>();
        goal.put("limitSeconds", boot == null ? null : round(goalSeconds + boot, 3));
        goal.put("totalMinusBootSeconds", total == null || boot == null ? null : round(total - boot, 3));
        goal.put("pass", total != null && boot != null && total < goalSeconds + boot);
        out.put("goal", goal);
        say("run %d: %s INSERVICE %.2f s after the overload: sustain %.2f, decision->applied %.2f (JVM started %.2f after"
                        + " the decision), boot %.2f, applied->registered %.2f, registered->INSERVICE %.2f; %s (limit %.2f s)",
                run, id, nz(total), nz(ph.get("sustainWait")), nz(ph.get("decisionToApplied")),
                nz(ph.get("decisionToProcessStart")), nz(boot), nz(ph.get("appliedToRegistered")),
                nz(ph.get("registeredToInService")), (Boolean) goal.get("pass") ? "PASS" : "FAIL",
                nz(goal.get("limitSeconds")));

        // scale back in: the viewers leave
        Set<String> edgesInService = new HashSet<>();
        for (NodeView v : nodes.values()) {
            if (v.role.equals("edge") && v.state.equals("INSERVICE")) {
                edgesInService.add(v.id);
            }
        }
        Instant closeAt = Instant.now();
        closeViewers();
        Instant[] empty = new Instant[1];
        poll(edge + " reports no subscribers", 30, () -> {
            NodeView v = nodes.get(edge);
            if (v != null && v.subscribers == 0) {
                empty[0] = v.lastHeartbeatAt;
                return true;
            }
            return false;
        });
        say("run %d: viewers gone; waiting for the scale-in (DRAIN, TERMINATE, destroy)", run);
        awaitBackToOneEdge("run " + run + " scale-in", 90);
        out.put("scaleIn", release(closeAt, empty[0], edgesInService, closeAt));
        return out;
    }

    /** DRAIN, TERMINATE, destroy and process exit of the edges that went away after {@code after}, from {@code ref}. */
    private Map<String, Object> release(Instant after, Instant emptyHeartbeat, Set<String> candidates, Instant ref)
            throws IOException {
        List<JsonNode> ds = decisions();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("reference", ref.toString());
        if (emptyHeartbeat != null) {
            out.put("emptyHeartbeat", emptyHeartbeat.toString());
            out.put("emptyHeartbeatSeconds", sec(ref, emptyHeartbeat));
        }
        List<Map<String, Object>> per = new ArrayList<>();
        for (String id : candidates) {
            JsonNode drain = first(ds, "DRAIN", id, after);
            if (drain == null) {
                continue;
            }
            JsonNode term = first(ds, "TERMINATE", id, at(drain));
            JsonNode destroyed = null;
            for (JsonNode d : ds) {
                if (d.path("action").asText().equals("APPLIED") && !at(d).isBefore(at(drain))
                        && d.path("reason").asText().matches(".*destroyed .*\\b" + java.util.regex.Pattern.quote(id) + "\\b.*")) {
                    destroyed = d;
                    break;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", id);
            m.put("drainDecision", sec(ref, at(drain)));
            m.put("drainReason", drain.path("reason").asText());
            m.put("terminateDecision", term == null ? null : sec(ref, at(term)));
            m.put("terminateReason", term == null ? null : term.path("reason").asText());
            m.put("destroyApplied", destroyed == null ? null : sec(ref, at(destroyed)));
            m.put("destroyApplyTookMs", destroyed == null ? null : tookMs(destroyed.path("reason").asText()));
            m.put("terminatedState", sec(ref, seenAt(seen, id, "terminatedAt")));
            m.put("processGoneSeenByPoll", sec(ref, processGone.get(id)));
            per.add(m);
        }
        out.put("secondsFromReference", per);
        for (Map<String, Object> m : per) {
            say("  %s: DRAIN +%.2f s, TERMINATE +%.2f s, destroyed (APPLIED) +%.2f s, process gone +%.2f s", m.get("node"),
                    nz(m.get("drainDecision")), nz(m.get("terminateDecision")), nz(m.get("destroyApplied")),
                    nz(m.get("processGoneSeenByPoll")));
        }
        return out;
    }

    // ---------------------------------------------------------------- part 2: scheduled event

    private Map<String, Object> scheduledEvent() throws Exception {
        String edge = awaitSteady("the scheduled event");
        Set<String> before = new HashSet<>(nodes.keySet());
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode deps = call("GET", "/deployments", null).json();
        List<Long> boots = new ArrayList<>();
        for (JsonNode c : deps.path("clouds")) {
            if (c.path("cloud").asText().equals("local")) {
                c.path("bootMillis").forEach(b -> boots.add(b.asLong()));
            }
        }
        long slowest = boots.stream().mapToLong(Long::longValue).max().orElse(15000);
        long expectedLeadMs = (long) (slowest * leadSafety) + intervalMs;
        int eventIn = Integer.parseInt(o.get("event-in"));
        int eventSeconds = Integer.parseInt(o.get("event-seconds"));
        int expectedViewers = Integer.parseInt(o.get("event-viewers"));
        int needed = (int) Math.ceil(expectedViewers / Math.max(1, Math.floor(maxSubscribers * 0.7)));
        Instant createdAt = Instant.now();
        Instant start = createdAt.plusSeconds(eventIn).truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.plusSeconds(eventSeconds);
        Resp r = call("POST", "/scheduledevents", "{\"name\":\"bench-event\",\"group\":\"" + GROUP + "\",\"start\":\"" + start
                + "\",\"end\":\"" + end + "\",\"expectedViewers\":" + expectedViewers + "}");
        if (r.status != 201) {
            throw new IllegalStateException("creating the scheduled event: " + r.status + " " + r.body);
        }
        out.put("event", r.json());
        out.put("startingEdge", edge);
        out.put("created", createdAt.toString());
        out.put("start", start.toString());
        out.put("end", end.toString());
        out.put("edgesNeeded", needed);
        out.put("cloudBootMillisAtCreation", boots);
        out.put("expectedLeadSeconds", round(expectedLeadMs / 1000.0, 3));
        out.put("expectedLeadFormula", Bench.fmt("slowest of the cloud's last boots (request -> INSERVICE) %d ms x"
                + " leadSafetyFactor %s + autoscaler.intervalMs %d", slowest, o.get("lead-safety-factor"), intervalMs));
        say("scheduled event: starts %s (in %d s), ends %s, %d viewers -> %d edges; expected lead %.1f s (%s)", start,
                eventIn, end, expectedViewers, needed, expectedLeadMs / 1000.0, out.get("expectedLeadFormula"));

        int[] atStart = new int[] {-1};
        List<String> inServiceAtStart = new ArrayList<>();
        poll("the event's start", eventIn + 5, () -> {
            if (Instant.now().isBefore(start)) {
                return false;
            }
            int c = 0;
            for (NodeView v : nodes.values()) {
                if (v.role.equals("edge") && v.state.equals("INSERVICE") && v.stateSince.isBefore(start)) {
                    c++;
                    inServiceAtStart.add(v.id);
                }
            }
            atStart[0] = c;
            return true;
        });
        say("event started: %d edge(s) INSERVICE (%d needed)", atStart[0], needed);
        out.put("edgesInServiceAtStart", atStart[0]);
        out.put("edgesInServiceAtStartIds", inServiceAtStart);
        poll("the event's end", eventSeconds + 5, () -> !Instant.now().isBefore(end));
        Set<String> edgesAtEnd = new HashSet<>();
        for (NodeView v : nodes.values()) {
            if (v.role.equals("edge") && v.state.equals("INSERVICE")) {
                edgesAtEnd.add(v.id);
            }
        }
        say("event ended; waiting for the release (DRAIN, TERMINATE, destroy)");
        awaitBackToOneEdge("release after the event", 90);

        List<JsonNode> ds = decisions();
        JsonNode scaleOut = null;
        for (JsonNode d : ds) {
            if (d.path("action").asText().equals("SCALE_OUT") && !at(d).isBefore(createdAt)
                    && d.path("reason").asText().contains("event")) {
                scaleOut = d;
                break;
            }
        }
        List<String> extra = new ArrayList<>();
        for (String id : nodes.keySet()) {
            if (!before.contains(id) && nodes.get(id).role.equals("edge")) {
                extra.add(id);
            }
        }
        Collections.sort(extra);
        Instant decided = scaleOut == null ? null : at(scaleOut);
        out.put("scaleOutDecision", str(decided));
        out.put("scaleOutReason", scaleOut == null ? null : scaleOut.path("reason").asText());
        out.put("leadUsedSeconds", sec(decided, start));
        List<Map<String, Object>> edges = new ArrayList<>();
        Double worstMargin = null;
        for (String id : extra) {
            NodeView n = nodes.get(id);
            JsonNode applied = first(ds, "APPLIED", id, decided == null ? createdAt : decided);
            Instant inService = inServiceAt(id);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", id);
            m.put("requested", sec(start, seenAt(seen, id, "requestedAt")));
            m.put("applied", applied == null ? null : sec(start, at(applied)));
            m.put("applyTookMs", applied == null ? null : tookMs(applied.path("reason").asText()));
            m.put("processStart", sec(start, processStart.get(id)));
            m.put("registered", sec(start, n.registeredAt));
            m.put("inService", sec(start, inService));
            m.put("bootSeconds", sec(processStart.get(id), n.registeredAt));
            Double margin = sec(inService, start);
            m.put("marginSeconds", margin);
            m.put("inServiceBeforeStart", margin != null && margin > 0);
            if (margin != null && (worstMargin == null || margin < worstMargin)) {
                worstMargin = margin;
            }
            edges.add(m);
            say("  %s: asked %.2f s, JVM start %.2f s, registered %.2f s, INSERVICE %.2f s relative to the start: margin"
                            + " %.2f s", id, nz(m.get("requested")), nz(m.get("processStart")), nz(m.get("registered")),
                    nz(m.get("inService")), nz(margin));
        }
        out.put("extraEdges", edges);
        out.put("smallestMarginSeconds", worstMargin);
        out.put("allExtraEdgesInServiceBeforeStart", !edges.isEmpty() && edges.size() == needed - 1
                && edges.stream().allMatch(m -> Boolean.TRUE.equals(m.get("inServiceBeforeStart"))));
        say("lead used: SCALE_OUT %.2f s before the start (expected %.2f s)", nz(out.get("leadUsedSeconds")),
                expectedLeadMs / 1000.0);
        out.put("release", release(end, null, edgesAtEnd, end));
        return out;
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits until the group is at rest with one edge: one edge INSERVICE with nobody on it, no edge
     * asked for, starting or draining, every deployment applied, and no process of a TERMINATED node
     * left. Returns the edge.
     */
    private String awaitSteady(String what) {
        poll("steady state before " + what, 90, () -> {
            if (count("edge", "INSERVICE") != 1 || count("edge", "REQUESTED") + count("edge", "STARTING")
                    + count("edge", "DRAINING") != 0) {
                return false;
            }
            for (NodeView v : nodes.values()) {
                if (v.role.equals("edge") && v.state.equals("INSERVICE") && v.subscribers != 0) {
                    return false;
                }
                if (v.state.equals("TERMINATED") && pids.containsKey(v.id) && !processGone.containsKey(v.id)) {
                    return false;
                }
            }
            return deploymentsApplied();
        });
        for (NodeView v : nodes.values()) {
            if (v.role.equals("edge") && v.state.equals("INSERVICE")) {
                return v.id;
            }
        }
        throw new IllegalStateException("no edge");
    }

    private void awaitBackToOneEdge(String what, double seconds) {
        poll(what, seconds, () -> {
            if (count("edge", "INSERVICE") != 1 || count("edge", "DRAINING") + count("edge", "REQUESTED")
                    + count("edge", "STARTING") != 0) {
                return false;
            }
            for (NodeView v : nodes.values()) {
                if (v.role.equals("edge") && !v.state.equals("INSERVICE") && pids.containsKey(v.id)
                        && !processGone.containsKey(v.id)) {
                    return false;
                }
            }
            return deploymentsApplied();
        });
    }

    private boolean deploymentsApplied() {
        try {
            for (JsonNode d : call("GET", "/deployments", null).json().path("items")) {
                if (d.path("generation").asLong() != d.path("appliedGeneration").asLong()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Polls the group's nodes and the pid files every 100 ms until {@code done}, printing state changes. */
    private void poll(String what, double seconds, BooleanSupplier done) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (true) {
            refresh();
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + seconds + " s waiting for " + what + "; nodes: "
                        + nodes.values());
            }
            if (manager != null && !manager.alive()) {
                throw new IllegalStateException("the stream manager exited");
            }
            Bench.sleep(100);
        }
    }

    private void refresh() {
        Map<String, NodeView> now = new TreeMap<>();
        try {
            JsonNode items = call("GET", "/nodes?limit=1000", null).json().path("items");
            for (JsonNode n : items) {
                if (!GROUP.equals(n.path("group").asText())) {
                    continue;
                }
                NodeView v = new NodeView(n.path("id").asText(), n.path("role").asText().toLowerCase(Locale.ROOT),
                        n.path("state").asText(), n.path("srtPort").asInt(), n.path("load").path("subscribers").asInt(),
                        instant(n.path("registeredAt")), instant(n.path("lastHeartbeatAt")), instant(n.path("stateSince")));
                now.put(v.id, v);
            }
        } catch (IOException e) {
            return; // a slow answer: the next poll
        }
        Instant t = Instant.now();
        for (NodeView v : now.values()) {
            NodeView was = nodes.get(v.id);
            Map<String, Object> s;
            synchronized (seen) {
                s = seen.computeIfAbsent(v.id, k -> new LinkedHashMap<>());
            }
            s.putIfAbsent("role", v.role);
            String since = str(v.stateSince);
            switch (v.state) {
                case "REQUESTED" -> s.putIfAbsent("requestedAt", since);
                case "STARTING" -> s.putIfAbsent("startingAt", since);
                case "INSERVICE" -> s.putIfAbsent("inServiceAt", since);
                case "DRAINING" -> s.putIfAbsent("drainingAt", since);
                case "TERMINATED", "FAILED" -> s.putIfAbsent("terminatedAt", since);
                default -> { }
            }
            if (v.registeredAt != null && !v.state.equals("REQUESTED")) {
                // (a REQUESTED record's registeredAt is the time it was asked for)
                s.putIfAbsent("registeredAt", v.registeredAt.toString());
            }
            s.put("lastState", v.state);
            if (was == null || !was.state.equals(v.state)) {
                s.putIfAbsent("firstSeen" + v.state, t.toString());
                if (was != null || !v.state.equals("TERMINATED")) {
                    say("  %-24s %-6s %s", v.id, v.role, v.state);
                }
            }
        }
        nodes = now;
        trackPids();
    }

    /** Start times of the nodes' processes (from the local module's pid files) and when they were seen gone. */
    private void trackPids() {
        if (tfWork == null || !Files.isDirectory(tfWork)) {
            return;
        }
        try (var files = Files.walk(tfWork, 5)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                String id = p.getFileName().toString().replaceAll("\\.pid$", "");
                if (pids.containsKey(id)) {
                    continue;
                }
                String[] f = Files.readString(p).trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                long pid = Long.parseLong(f[0]);
                long ticks = Long.parseLong(f[1]);
                // the start time in ticks since boot, against the uptime read now (10 ms resolution both)
                double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
                Instant now = Instant.now();
                double ago = uptime - (double) ticks / clockTicks;
                pids.put(id, new long[] {pid, ticks});
                Instant started = now.minusNanos((long) (ago * 1e9));
                processStart.put(id, started);
                synchronized (seen) {
                    Map<String, Object> s = seen.computeIfAbsent(id, k -> new LinkedHashMap<>());
                    s.put("pid", pid);
                    s.put("processStart", started.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            // a pid file being written or removed: the next poll
        }
        Instant now = Instant.now();
        for (Map.Entry<String, long[]> e : pids.entrySet()) {
            if (!processGone.containsKey(e.getKey()) && !alive(e.getValue()[0], e.getValue()[1])) {
                processGone.put(e.getKey(), now);
                synchronized (seen) {
                    seen.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put("processGoneSeenByPoll", now.toString());
                }
            }
        }
    }

    /** Whether that very process still runs (not a zombie, not a later process with the same pid). */
    private static boolean alive(long pid, long startTicks) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return !f[0].equals("Z") && Long.parseLong(f[19]) == startTicks;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private int count(String role, String state) {
        int c = 0;
        for (NodeView v : nodes.values()) {
            if (v.role.equals(role) && v.state.equals(state)) {
                c++;
            }
        }
        return c;
    }

    private Instant inServiceAt(String id) {
        return seenAt(seen, id, "inServiceAt");
    }

    /** A time the polls recorded for a node (ISO strings, so the map goes to the JSON as it is). */
    private static Instant seenAt(Map<String, Map<String, Object>> seen, String id, String field) {
        Map<String, Object> s = seen.get(id);
        return s != null && s.get(field) instanceof String t ? Instant.parse(t) : null;
    }

    // ---------------------------------------------------------------- clean-up

    /**
     * Viewers and publisher off; the node group deleted and every node it started destroyed by the
     * autoscaler's own apply; the manager stopped; any node process still running killed from the pid
     * files. Records how long the group's removal took in {@code out} (if given).
     */
    void cleanup(Map<String, Object> out) {
        if (cleanedUp) {
            return;
        }
        cleanedUp = true;
        closeViewers();
        if (publisher != null) {
            Bench.stop(publisher);
            publisher = null;
        }
        if (manager != null && manager.alive()) {
            try {
                Instant t = Instant.now();
                say("deleting node group '%s'; waiting for terraform to destroy its nodes", GROUP);
                call("DELETE", "/nodegroups/" + GROUP, null);
                poll("every node destroyed", 90, () -> {
                    for (Map.Entry<String, long[]> e : pids.entrySet()) {
                        if (!processGone.containsKey(e.getKey())) {
                            return false;
                        }
                    }
                    return liveNodePids().isEmpty() && deploymentsApplied();
                });
                if (out != null) {
                    out.put("groupDeletedToNodesGoneSeconds", sec(t, Instant.now()));
                    out.put("decisions", decisions().stream().filter(d -> !at(d).isBefore(t)).toList());
                }
                say("every node destroyed (%.1f s)", Duration.between(t, Instant.now()).toMillis() / 1000.0);
            } catch (Exception e) {
                say("cleanup: %s", e);
            }
            say("stopping the stream manager");
            manager.close();
        }
        killNodes();
        Path snap = work == null ? null : work.resolve("manager-classpath");
        try {
            if (snap != null) {
                Builds.deleteTree(snap);
                Builds.deleteTree(work.resolve("node-classpath"));
            }
        } catch (IOException e) {
            // scratch space
        }
    }

    /** Kills every node process still running, from the pid files and from what the polls saw. */
    private void killNodes() {
        List<ProcessHandle> left = new ArrayList<>();
        for (long pid : liveNodePids()) {
            ProcessHandle.of(pid).ifPresent(left::add);
        }
        for (long[] p : pids.values()) {
            if (alive(p[0], p[1])) {
                ProcessHandle.of(p[0]).filter(h -> !left.contains(h)).ifPresent(left::add);
            }
        }
        if (left.isEmpty()) {
            return;
        }
        System.err.println("[autoscale] killing " + left.size() + " node process(es) left running: "
                + left.stream().map(ProcessHandle::pid).toList());
        for (ProcessHandle h : left) {
            h.descendants().forEach(ProcessHandle::destroy);
            h.destroy();
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (ProcessHandle h : left) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    break;
                }
            }
            if (h.isAlive()) {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            }
        }
    }

    /** Pids in the local module's pid files whose process still runs. */
    private List<Long> liveNodePids() {
        return livePids(tfWork);
    }

    private static List<Long> livePids(Path dir) {
        List<Long> out = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return out;
        }
        try (var files = Files.walk(dir, 5)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
                String[] f = Files.readString(p).trim().split("\\s+");
                if (f.length >= 2 && alive(Long.parseLong(f[0]), Long.parseLong(f[1]))) {
                    out.add(Long.parseLong(f[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // being written or removed
        }
        return out;
    }

    /** Nodes a previous run left running (killed with SIGKILL, or its time limit hit): stopped first. */
    private void killStaleNodes(Path dir) {
        for (long pid : livePids(dir)) {
            say("killing node process %d left by a previous run", pid);
            ProcessHandle.of(pid).ifPresent(h -> {
                h.descendants().forEach(ProcessHandle::destroyForcibly);
                h.destroyForcibly();
            });
        }
    }

    private void closeViewers() {
        for (Viewer v : viewers) {
            v.close();
        }
        viewers.clear();
    }

    // ---------------------------------------------------------------- the viewers

    /** One SRT viewer: a caller on the edge and a thread that reads (and drops) what it gets. */
    private static final class Viewer implements Runnable {
        final int socket;
        final String name;
        volatile boolean running = true;
        volatile long bytes;
        final Thread thread;

        private Viewer(int socket, String name) {
            this.socket = socket;
            this.name = name;
            this.thread = new Thread(this, "viewer-" + name);
            this.thread.setDaemon(true);
        }

        static Viewer open(int port, String streamId, String name) {
            Viewer v = new Viewer(SrtCaller.connect(port, streamId, SRT_LATENCY_MS, true, 0, 10_000), name);
            v.thread.start();
            return v;
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(1500);
            long address = Srt.address(buf);
            while (running) {
                int n = Srt.recv(socket, address, 1500);
                if (n < 0) {
                    return;
                }
                bytes += n;
            }
        }

        void close() {
            running = false;
            Srt.close(socket);
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- the API

    private record NodeView(String id, String role, String state, int srtPort, int subscribers, Instant registeredAt,
                            Instant lastHeartbeatAt, Instant stateSince) {
        @Override
        public String toString() {
            return id + "=" + state + "(" + subscribers + ")";
        }
    }

    private record Resp(int status, String body) {
        JsonNode json() throws IOException {
            if (status / 100 != 2) {
                throw new IOException("HTTP " + status + ": " + body);
            }
            return Bench.JSON.readTree(body);
        }
    }

    private Resp call(String method, String path, String body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(manager.base() + "/api/v1" + path))
                .timeout(Duration.ofSeconds(10)).header("authorization", "Bearer " + adminKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("content-type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Resp(r.statusCode(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Every decision the manager kept, oldest first. */
    private List<JsonNode> decisions() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        call("GET", "/decisions?limit=1000", null).json().path("items").forEach(out::add);
        Collections.reverse(out);
        return out;
    }

    /** The first decision of {@code action} at or after {@code notBefore} naming {@code node} (any node when null). */
    private static JsonNode first(List<JsonNode> ds, String action, String node, Instant notBefore) {
        for (JsonNode d : ds) {
            if (!d.path("action").asText().equals(action) || at(d).isBefore(notBefore)) {
                continue;
            }
            if (node == null) {
                return d;
            }
            for (JsonNode n : d.path("nodes")) {
                if (n.asText().equals(node)) {
                    return d;
                }
            }
        }
        return null;
    }

    private static Instant at(JsonNode decision) {
        return Instant.parse(decision.path("at").asText());
    }

    private static Instant instant(JsonNode n) {
        return n.isTextual() ? Instant.parse(n.asText()) : null;
    }

    private static Long tookMs(String reason) {
        var m = java.util.regex.Pattern.compile("applied in (\\d+) ms").matcher(reason);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    // ---------------------------------------------------------------- builds

    /** Copies a build's classes/ and lib/ aside, so a build running meanwhile cannot swap them under the processes. */
    private String snapshot(String buildDir, String name, Map<String, Object> builds, String key) throws IOException {
        Map<String, Object> b = new LinkedHashMap<>();
        String classpath = Builds.snapshot(buildDir, work.resolve(name), b);
        builds.put(key, b);
        say("%s from %s (classes %s), copied aside", key, b.get("path"), b.get("classesSha256"));
        return classpath;
    }

    // ---------------------------------------------------------------- results

    private String method() {
        return Bench.fmt("One stream-manager process (started as ./cascade up starts one, from a copy of"
                + " stream-manager/target) with autoscaler.intervalMs=%d, autoscaler.sustainMs=%d,"
                + " nodes.heartbeatIntervalMs=%d, leadSafetyFactor=%s, and its autoscaler running terraform apply on"
                + " terraform/modules/local (node processes started with setsid by node.sh, not waited for). Node group '%s':"
                + " origin 1..1, relay 1..1, edge 1..3 (scale out above 70%%, in below 30%%, cool-down 1 s, capacity %d"
                + " subscribers). A 300 kbps 320x180 TS is published with ffmpeg (-re, looped, -c copy) to the origin the"
                + " manager placed it on. Scale-out runs: %d SRT viewers (libsrt callers in this JVM) connect to the only"
                + " edge; t0 = the manager's receive time of the first heartbeat showing them (polled every 100 ms); then"
                + " the SCALE_OUT and APPLIED decisions' times, the new node's process start (its pid file's start time in"
                + " clock ticks since boot, against /proc/uptime), registeredAt and the time it went INSERVICE (its"
                + " stateSince while INSERVICE). boot = process start -> registered; goal: total < %.0f s + boot."
                + " Then the viewers leave and the group scales in (DRAIN, TERMINATE, destroying apply, process exit)."
                + " Scheduled event: created %s s ahead, lasting %s s, expectedViewers %s; the extra edges' times"
                + " relative to its start. All times are this machine's clock (manager, nodes and this tool).",
                intervalMs, sustainMs, heartbeatMs, o.get("lead-safety-factor"), GROUP, maxSubscribers, viewerCount,
                goalSeconds, o.get("event-in"), o.get("event-seconds"), o.get("event-viewers"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> summary(List<Map<String, Object>> runs, Map<String, Object> event) {
        Map<String, Object> out = new LinkedHashMap<>();
        String[] phases = {"sustainWait", "decisionToApplied", "appliedToRegistered", "registeredToInService",
                "decisionToProcessStart", "boot", "total"};
        Map<String, Object> stats = new LinkedHashMap<>();
        for (String p : phases) {
            List<Double> v = new ArrayList<>();
            for (Map<String, Object> r : runs) {
                Object x = ((Map<String, Object>) r.get("phasesSeconds")).get(p);
                if (x instanceof Double d) {
                    v.add(d);
                }
            }
            stats.put(p, stat(v));
        }
        List<Double> overhead = new ArrayList<>();
        int passed = 0;
        for (Map<String, Object> r : runs) {
            Map<String, Object> g = (Map<String, Object>) r.get("goal");
            if (g.get("totalMinusBootSeconds") instanceof Double d) {
                overhead.add(d);
            }
            if (Boolean.TRUE.equals(g.get("pass"))) {
                passed++;
            }
        }
        stats.put("totalMinusBoot", stat(overhead));
        Map<String, Object> so = new LinkedHashMap<>();
        so.put("runs", runs.size());
        so.put("phasesSeconds", stats);
        so.put("goal", Bench.fmt("overload -> INSERVICE < %.0f s + boot", goalSeconds));
        so.put("runsPassing", passed);
        so.put("pass", passed == runs.size() && !runs.isEmpty());
        out.put("scaleOutOnLoad", so);

        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("leadUsedSeconds", event.get("leadUsedSeconds"));
        ev.put("expectedLeadSeconds", event.get("expectedLeadSeconds"));
        List<Object> margins = new ArrayList<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) event.get("extraEdges")) {
            margins.add(e.get("marginSeconds"));
        }
        ev.put("marginsSeconds", margins);
        ev.put("edgesInServiceAtStart", event.get("edgesInServiceAtStart"));
        ev.put("edgesNeeded", event.get("edgesNeeded"));
        ev.put("pass", event.get("allExtraEdgesInServiceBeforeStart"));
        List<String> rel = new ArrayList<>();
        Map<String, Object> release = (Map<String, Object>) event.get("release");
        for (Map<String, Object> m : (List<Map<String, Object>>) release.get("secondsFromReference")) {
            rel.add(Bench.fmt("%s DRAIN +%.1f s, TERMINATE +%.1f s, destroyed +%.1f s", m.get("node"),
                    nz(m.get("drainDecision")), nz(m.get("terminateDecision")), nz(m.get("destroyApplied"))));
        }
        ev.put("releaseAfterEnd", rel);
        out.put("scheduledEvent", ev);

        Map<String, Object> t = (Map<String, Object>) stats.get("total");
        Map<String, Object> b = (Map<String, Object>) stats.get("boot");
        Map<String, Object> oh = (Map<String, Object>) stats.get("totalMinusBoot");
        String headline = Bench.fmt("Scale-out on load, %d runs: overload -> new edge INSERVICE median %.2f s (%.2f-%.2f);"
                        + " boot (JVM start -> registered) median %.2f s; without boot median %.2f s (max %.2f); goal < %.0f s"
                        + " + boot: %s (%d/%d). Phases, median s: sustain %.2f, decision -> applied %.2f, applied ->"
                        + " registered %.2f, registered -> INSERVICE %.2f. Scheduled event (%s viewers, %s edges needed):"
                        + " SCALE_OUT %.1f s before the start (expected lead %.1f s); extra edges INSERVICE %s s before the"
                        + " start: %s; released after the end: %s.",
                runs.size(), nz(t.get("median")), nz(t.get("min")), nz(t.get("max")), nz(b.get("median")),
                nz(oh.get("median")), nz(oh.get("max")), goalSeconds, (Boolean) so.get("pass") ? "met" : "not met", passed,
                runs.size(), med(stats, "sustainWait"), med(stats, "decisionToApplied"), med(stats, "appliedToRegistered"),
                med(stats, "registeredToInService"), o.get("event-viewers"), event.get("edgesNeeded"),
                nz(event.get("leadUsedSeconds")), nz(event.get("expectedLeadSeconds")), String.join(" and ",
                        margins.stream().map(m -> m == null ? "?" : Bench.fmt("%.1f", (Double) m)).toList()),
                Boolean.TRUE.equals(ev.get("pass")) ? "met" : "not met", String.join("; ", rel));
        out.put("headline", headline);

        StringBuilder s = new StringBuilder();
        s.append("=== autoscale: scale-out on load (seconds; t0 = first heartbeat showing ").append(viewerCount).append('/')
                .append(maxSubscribers).append(" subscribers) ===\n");
        s.append(Bench.fmt("%-4s %-22s %8s %10s %10s %8s %10s %8s %8s %8s %s%n", "run", "new edge", "sustain",
                "dec->appl", "appl->reg", "boot", "reg->INSV", "total", "-boot", "limit", "goal"));
        for (Map<String, Object> r : runs) {
            Map<String, Object> p = (Map<String, Object>) r.get("phasesSeconds");
            Map<String, Object> g = (Map<String, Object>) r.get("goal");
            s.append(Bench.fmt("%-4s %-22s %8.2f %10.2f %10.2f %8.2f %10.2f %8.2f %8.2f %8.2f %s%n", r.get("run"),
                    r.get("newEdge"), nz(p.get("sustainWait")), nz(p.get("decisionToApplied")),
                    nz(p.get("appliedToRegistered")), nz(p.get("boot")), nz(p.get("registeredToInService")),
                    nz(p.get("total")), nz(g.get("totalMinusBootSeconds")), nz(g.get("limitSeconds")),
                    Boolean.TRUE.equals(g.get("pass")) ? "PASS" : "FAIL"));
        }
        s.append(Bench.fmt("median: sustain %.2f, decision->applied %.2f, applied->registered %.2f, boot %.2f,"
                        + " registered->INSERVICE %.2f, total %.2f, total-boot %.2f%n", med(stats, "sustainWait"),
                med(stats, "decisionToApplied"), med(stats, "appliedToRegistered"), med(stats, "boot"),
                med(stats, "registeredToInService"), med(stats, "total"), med(stats, "totalMinusBoot")));
        s.append(Bench.fmt("goal: overload -> INSERVICE < %.0f s + boot: %s (%d/%d runs)%n", goalSeconds,
                (Boolean) so.get("pass") ? "PASS" : "FAIL", passed, runs.size()));
        s.append(Bench.fmt("=== scheduled event: start %s, end %s, %s viewers -> %s edges ===%n", event.get("start"),
                event.get("end"), o.get("event-viewers"), event.get("edgesNeeded")));
        s.append(Bench.fmt("SCALE_OUT %.2f s before the start (expected lead %.2f s: %s)%n",
                nz(event.get("leadUsedSeconds")), nz(event.get("expectedLeadSeconds")), event.get("expectedLeadFormula")));
        for (Map<String, Object> e : (List<Map<String, Object>>) event.get("extraEdges")) {
            s.append(Bench.fmt("  %s: JVM start %.2f, registered %.2f, INSERVICE %.2f (s from the start): margin %.2f s %s%n",
                    e.get("node"), nz(e.get("processStart")), nz(e.get("registered")), nz(e.get("inService")),
                    nz(e.get("marginSeconds")), Boolean.TRUE.equals(e.get("inServiceBeforeStart")) ? "PASS" : "FAIL"));
        }
        s.append(Bench.fmt("edges INSERVICE at the start: %s of %s%n", event.get("edgesInServiceAtStart"),
                event.get("edgesNeeded")));
        for (String x : rel) {
            s.append("  release after the end: ").append(x).append('\n');
        }
        out.put("text", s.toString());
        return out;
    }

    private static double med(Map<String, Object> stats, String key) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) stats.get(key);
        return nz(m.get("median"));
    }

    private static Map<String, Object> stat(List<Double> v) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        m.put("n", s.size());
        if (s.isEmpty()) {
            return m;
        }
        m.put("min", s.get(0));
        m.put("median", round(s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2, 3));
        m.put("mean", round(s.stream().mapToDouble(Double::doubleValue).average().orElse(0), 3));
        m.put("max", s.get(s.size() - 1));
        m.put("values", v);
        return m;
    }

    // ---------------------------------------------------------------- the plot

    @SuppressWarnings("unchecked")
    private void plot(String stamp, List<Map<String, Object>> runs, Map<String, Object> event,
                      Map<String, Map<String, Object>> seen, Path png) throws IOException, InterruptedException {
        Path tmp = Bench.tmp();
        // panel 1: one row per run, x = seconds from the overload heartbeat
        String[] names = {"sustain: overload -> SCALE_OUT", "apply: SCALE_OUT -> process start",
                "boot: process start -> registered", "registered -> INSERVICE"};
        String[] colors = {"#bbbbbb", "#1f77b4", "#ff7f0e", "#2ca02c"};
        List<StringBuilder> seg = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            seg.add(new StringBuilder());
        }
        StringBuilder marks = new StringBuilder();
        StringBuilder goals = new StringBuilder();
        double maxX = goalSeconds;
        for (Map<String, Object> r : runs) {
            int y = ((Number) r.get("run")).intValue();
            Map<String, Object> rel = (Map<String, Object>) r.get("secondsFromOverload");
            Double so = num(rel.get("scaleOutDecision"));
            Double ps = num(rel.get("processStart"));
            Double reg = num(rel.get("registered"));
            Double ins = num(rel.get("inService"));
            Double ap = num(rel.get("applied"));
            box(seg.get(0), y, 0.0, so);
            box(seg.get(1), y, so, ps);
            box(seg.get(2), y, ps, reg);
            box(seg.get(3), y, reg, ins);
            if (ap != null) {
                marks.append(Bench.fmt("%.3f %.2f 0 0.7%n", ap, y - 0.35));
            }
            Map<String, Object> g = (Map<String, Object>) r.get("goal");
            Double l = num(g.get("limitSeconds"));
            if (l != null) {
                goals.append(Bench.fmt("%.3f %.2f 0 0.8%n", l, y - 0.4));
                maxX = Math.max(maxX, l);
            }
            if (ins != null) {
                maxX = Math.max(maxX, ins);
            }
        }
        List<String> plots = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            Path f = tmp.resolve("autoscale-" + stamp + "-p1-" + i + ".dat");
            Files.writeString(f, seg.get(i).toString());
            if (seg.get(i).length() > 0) {
                plots.add("'" + f + "' using 1:2:3:4:5:6 with boxxyerror fs solid 0.85 border lc rgb '#333333' fc rgb '"
                        + colors[i] + "' title '" + names[i] + "'");
            }
        }
        Path fm = tmp.resolve("autoscale-" + stamp + "-p1-applied.dat");
        Files.writeString(fm, marks.toString());
        if (marks.length() > 0) {
            plots.add("'" + fm + "' using 1:2:3:4 with vectors nohead lw 3 lc rgb 'black' title 'APPLIED (apply returned)'");
        }
        Path fg = tmp.resolve("autoscale-" + stamp + "-p1-goal.dat");
        Files.writeString(fg, goals.toString());
        if (goals.length() > 0) {
            plots.add("'" + fg + "' using 1:2:3:4 with vectors nohead lw 2 dt 2 lc rgb '#d62728' title 'goal: "
                    + (int) goalSeconds + " s + this run''s boot'");
        }
        StringBuilder ytics1 = new StringBuilder();
        for (Map<String, Object> r : runs) {
            ytics1.append(ytics1.length() == 0 ? "" : ", ").append("\"run ").append(r.get("run")).append("\" ")
                    .append(r.get("run"));
        }

        // panel 2: one row per edge, x = seconds from the event's start
        Instant start = Instant.parse((String) event.get("start"));
        Instant end = Instant.parse((String) event.get("end"));
        String[] names2 = {"apply: asked -> process start", "boot: process start -> registered", "registered -> INSERVICE",
                "INSERVICE", "DRAINING", "TERMINATED -> process exit"};
        String[] colors2 = {"#1f77b4", "#ff7f0e", "#2ca02c", "#98df8a", "#d62728", "#7f7f7f"};
        List<StringBuilder> seg2 = new ArrayList<>();
        for (int i = 0; i < names2.length; i++) {
            seg2.add(new StringBuilder());
        }
        double created = nz(sec(start, Instant.parse((String) event.get("created"))));
        Double lead = num(event.get("leadUsedSeconds"));
        double xmax = Duration.between(start, end).toMillis() / 1000.0 + 5;
        double xmin = Math.min(-5, (lead == null ? 0 : -lead) - 4);
        List<String> rows = new ArrayList<>();
        rows.add((String) event.get("startingEdge"));
        for (Map<String, Object> e : (List<Map<String, Object>>) event.get("extraEdges")) {
            rows.add((String) e.get("node"));
        }
        StringBuilder ytics2 = new StringBuilder();
        List<String> labels2 = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String id = rows.get(i);
            int y = i + 1;
            ytics2.append(ytics2.length() == 0 ? "" : ", ").append('"').append(id).append("\" ").append(y);
            Double req = sec(start, seenAt(seen, id, "requestedAt"));
            Double ps = sec(start, seenAt(seen, id, "processStart"));
            Double reg = sec(start, seenAt(seen, id, "registeredAt"));
            Double ins = sec(start, seenAt(seen, id, "inServiceAt"));
            Double dr = sec(start, seenAt(seen, id, "drainingAt"));
            Double term = sec(start, seenAt(seen, id, "terminatedAt"));
            Double gone = sec(start, seenAt(seen, id, "processGoneSeenByPoll"));
            if (i == 0) {
                ins = xmin - 1; // in service since before the event was created
            } else {
                if (ins != null) {
                    labels2.add(Bench.fmt("set label %d 'INSERVICE %.1f s %s the start' at %.3f, %.2f left front font ',10'",
                            10 + i, Math.abs(ins), ins <= 0 ? "before" : "AFTER", ins + 0.3, y + 0.0));
                }
                box(seg2.get(0), y, req, ps);
                box(seg2.get(1), y, ps, reg);
                box(seg2.get(2), y, reg, ins);
            }
            Double inEnd = dr != null ? dr : term != null ? term : xmax;
            box(seg2.get(3), y, ins, inEnd);
            box(seg2.get(4), y, dr, term);
            box(seg2.get(5), y, term, gone);
            for (Double x : new Double[] {term, gone, dr}) {
                if (x != null) {
                    xmax = Math.max(xmax, x + 2);
                }
            }
        }
        List<String> plots2 = new ArrayList<>();
        for (int i = 0; i < names2.length; i++) {
            Path f = tmp.resolve("autoscale-" + stamp + "-p2-" + i + ".dat");
            Files.writeString(f, seg2.get(i).toString());
            if (seg2.get(i).length() > 0) {
                plots2.add("'" + f + "' using 1:2:3:4:5:6 with boxxyerror fs solid 0.85 border lc rgb '#333333' fc rgb '"
                        + colors2[i] + "' title '" + names2[i] + "'");
            }
        }
        double eventLen = Duration.between(start, end).toMillis() / 1000.0;
        Path gp = tmp.resolve("autoscale-" + stamp + ".gp");
        List<String> lines = new ArrayList<>(List.of(
                "set terminal pngcairo size 1300,1050 font 'sans,11' noenhanced",
                "set output '" + png + "'",
                "set multiplot layout 2,1 title 'Cascade autoscaler on the local platform (terraform apply -> node processes) "
                        + stamp + "'",
                "set grid xtics",
                "set lmargin at screen 0.15",
                "set rmargin at screen 0.72",
                "set key at screen 0.99, graph 1 right top vertical",
                "set title 'Scale-out on load: " + viewerCount + " SRT viewers on an edge of " + maxSubscribers
                        + " (above 70%), sustain " + sustainMs + " ms, autoscaler every " + intervalMs + " ms'",
                "set xlabel 's since the first heartbeat showing the load'",
                "set ytics (" + ytics1 + ")",
                Bench.fmt("set yrange [%.1f:0.4]", runs.size() + 0.6),
                Bench.fmt("set xrange [-0.5:%.1f]", maxX + 1),
                "plot " + (plots.isEmpty() ? "NaN notitle" : String.join(", ", plots)),
                "set title 'Scheduled event (" + o.get("event-viewers") + " viewers -> " + event.get("edgesNeeded")
                        + " edges), created " + Bench.fmt("%.0f", -created) + " s ahead: SCALE_OUT "
                        + (lead == null ? "?" : Bench.fmt("%.1f", lead)) + " s before the start'",
                "set xlabel 's from the event start'",
                "set ytics (" + ytics2 + ")",
                Bench.fmt("set yrange [%.1f:0.4]", rows.size() + 0.6),
                Bench.fmt("set xrange [%.1f:%.1f]", xmin, xmax),
                "set arrow 1 from 0, graph 0 to 0, graph 1 nohead lw 2 lc rgb 'black'",
                Bench.fmt("set arrow 2 from %.3f, graph 0 to %.3f, graph 1 nohead lw 2 dt 2 lc rgb 'black'", eventLen, eventLen),
                "set label 1 ' start' at 0, graph 1.02 left",
                Bench.fmt("set label 2 ' end' at %.3f, graph 1.02 left", eventLen)));
        if (lead != null) {
            lines.add(Bench.fmt("set arrow 4 from %.3f, graph 0 to %.3f, graph 1 nohead lw 2 dt 4 lc rgb '#1f77b4'", -lead, -lead));
            lines.add(Bench.fmt("set label 4 'SCALE_OUT ' at %.3f, graph 1.02 right", -lead));
        }
        lines.addAll(labels2);
        lines.add("plot " + (plots2.isEmpty() ? "NaN notitle" : String.join(", ", plots2)));
        lines.add("unset multiplot");
        lines.add("");
        Files.writeString(gp, String.join("\n", lines));
        Bench.gnuplot(gp);
    }

    private static void box(StringBuilder b, int y, Double from, Double to) {
        if (from == null || to == null || to < from) {
            return;
        }
        b.append(Bench.fmt("%.3f %d %.3f %.3f %.2f %.2f%n", (from + to) / 2, y, from, to, y - 0.3, y + 0.3));
    }

    /** Draws a result's PNG again from its JSON ({@code --replot results/autoscale-STAMP.json}). */
    @SuppressWarnings("unchecked")
    private static void replot(Path json) throws Exception {
        Map<String, Object> doc = Bench.JSON.readValue(json.toFile(), Map.class);
        AutoscaleBench b = new AutoscaleBench((Map<String, String>) doc.get("options"));
        String stamp = json.getFileName().toString().replaceAll("^autoscale-(.*)\\.json$", "$1");
        b.plot(stamp, (List<Map<String, Object>>) doc.get("scaleOutRuns"), (Map<String, Object>) doc.get("scheduledEvent"),
                (Map<String, Map<String, Object>>) doc.get("nodesSeen"), json.resolveSibling("autoscale-" + stamp + ".png"));
    }

    private static Double num(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    // ---------------------------------------------------------------- small things

    private void say(String fmt, Object... args) {
        System.err.printf(Locale.ROOT, "[autoscale %6.1fs] %s%n", (System.nanoTime() - t0Nanos) / 1e9,
                String.format(Locale.ROOT, fmt, args));
        System.err.flush();
    }

    private static Double sec(Instant from, Instant to) {
        if (from == null || to == null) {
            return null;
        }
        return round(Duration.between(from, to).toNanos() / 1e9, 3);
    }

    private static String str(Instant t) {
        return t == null ? null : t.toString();
    }

    private static double nz(Object v) {
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
