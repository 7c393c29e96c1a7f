package dev.cascade.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A managed Cascade edge with a two-level ABR ladder, for the price of ABR per viewer (docs/abr.md):
 * a stream manager, an origin and one edge registered with it (the edge pinned to the server CPU,
 * the rest on the viewers' CPUs), and one ffmpeg publishing pre-made files to the origin over SRT,
 * {@code -re -stream_loop -1 -c copy}: the source {@code live/load} and level 1 {@code live/load_1}
 * from the 1280x720 file, level 2 {@code live/load_2} from the 640x360 one. One process with two
 * inputs, so the three streams share one clock and one keyframe grid as a transcoder's do; no
 * transcoder runs (the edge finds the ladder in the provision, {@code GET .../abr}, and the variants
 * as streams on the origin, which is all an edge needs).
 *
 * <p>Three modes on the same set-up, so the only difference is what the edge does per viewer:
 * <ul>
 *   <li>{@link Mode#OFF}: no provision; viewers watch {@code live/load_2} itself, a plain stream.</li>
 *   <li>{@link Mode#ON}: a provision (ladder 1280x720 top, 640x360 level 2, start at level 2);
 *       viewers watch {@code live/load} and, announcing a REMB that holds them on level 2, receive
 *       the same bytes as in OFF through their splice, plus the up-probes' padding.</li>
 *   <li>{@link Mode#ON_NO_PROBE}: the same with {@code abr.probe=false}: the ABR machinery without
 *       the padding.</li>
 * </ul>
 * After each step's window the edge's own account is checked ({@link #windowClosed}): every viewer
 * connected, on level 2 with ABR (or without ABR in OFF), counted once at the stream manager.
 */
final class AbrCostTarget extends EdgeTarget {
    static final String SOURCE = "live/load";
    static final String TOP = SOURCE + "_1";
    static final String LEVEL = SOURCE + "_2";
    static final int TOP_WIDTH = 1280;
    static final int TOP_HEIGHT = 720;
    static final int LEVEL_WIDTH = 640;
    static final int LEVEL_HEIGHT = 360;
    /** The stream manager's default policy, which the provision keeps (docs/abr.md). */
    static final double DOWN_THRESHOLD = 0.9;
    static final double UP_HEADROOM = 1.2;

    enum Mode {
        OFF("cascade-abr-off"), ON("cascade-abr"), ON_NO_PROBE("cascade-abr-noprobe");

        final String target;

        Mode(String target) {
            this.target = target;
        }

        static Mode of(String target) {
            for (Mode m : values()) {
                if (m.target.equals(target)) {
                    return m;
                }
            }
            return null;
        }

        boolean abr() {
            return this != OFF;
        }
    }

    /** What the ABR targets of one bitrate share: the builds (copied aside before the first) and the two files. */
    record Setup(String nodeClasspath, String managerClasspath, Map<String, Object> builds, Path topMedia, int topKbps,
                 Path levelMedia, int levelKbps) {
        /**
         * Refuses settings under which the ABR targets would measure something else: level 2 not below
         * level 1, or a REMB that would step the viewers down or qualify them for level 1 (the check
         * after each step expects every viewer on level 2).
         */
        static void validate(int topKbps, int levelKbps, int rembKbps) {
            if (levelKbps >= topKbps) {
                throw new IllegalArgumentException("the ABR targets need the stream's bitrate (" + levelKbps
                        + " kbps, level 2) below --abr-top (" + topKbps + " kbps, level 1)");
            }
            // The edge compares REMB with a level's video bitrate (docs/abr.md, "Choice").
            double low = levelKbps / DOWN_THRESHOLD;
            double high = topKbps * UP_HEADROOM;
            if (rembKbps < low || rembKbps >= high) {
                throw new IllegalArgumentException(Bench.fmt("--remb %d holds no viewer on level 2 (%d kbps): it takes"
                        + " %.0f to %.0f kbps", rembKbps, levelKbps, Math.ceil(low), Math.floor(high)));
            }
        }

        static Setup prepare(int topKbps, Path levelMedia, int levelKbps) throws IOException, InterruptedException {
            Path work = Bench.tmp().resolve("abr-cost");
            Map<String, Object> builds = new LinkedHashMap<>();
            Map<String, Object> node = new LinkedHashMap<>();
            Map<String, Object> manager = new LinkedHashMap<>();
            String nodeCp = Builds.snapshot("node/server/target", work.resolve("node-classpath"), node);
            String managerCp = Builds.snapshot("stream-manager/target", work.resolve("manager-classpath"), manager);
            builds.put("node", node);
            builds.put("streamManager", manager);
            Bench.log("node (classes %s) and stream manager (classes %s) copied aside to %s", node.get("classesSha256"),
                    manager.get("classesSha256"), work);
            return new Setup(nodeCp, managerCp, builds, ViewersBench.media(TOP_WIDTH, TOP_HEIGHT, topKbps), topKbps,
                    levelMedia, levelKbps);
        }

        /** The ladder and policy the ABR modes provision. */
        String provision() {
            return "{\"ladder\":["
                    + level(1, TOP_WIDTH, TOP_HEIGHT, topKbps) + ","
                    + level(2, LEVEL_WIDTH, LEVEL_HEIGHT, levelKbps) + "],"
                    + "\"policy\":{\"startLevel\":2}}";
        }

        private static String level(int level, int w, int h, int kbps) {
            return Bench.fmt("{\"level\":%d,\"width\":%d,\"height\":%d,\"bitrateKbps\":%d,\"fps\":30}", level, w, h, kbps);
        }
    }

    private final Mode mode;
    private final ManagerMember manager;
    private final String adminKey;
    private final String joinToken;
    private final CascadeNode origin;
    private final String edgeId;
    private final Process publisher;
    private long paddingAtOpen;
    private long sentAtOpen;
    private long openedAt;

    private AbrCostTarget(Mode mode, ManagerMember manager, String adminKey, String joinToken, CascadeNode origin,
                          CascadeNode edge, Process publisher) {
        super(edge, mode.abr() ? SOURCE : LEVEL);
        this.mode = mode;
        this.manager = manager;
        this.adminKey = adminKey;
        this.joinToken = joinToken;
        this.origin = origin;
        this.edgeId = "bench-edge-" + edge.srtPort;
        this.publisher = publisher;
    }

    static AbrCostTarget start(Mode mode, Setup setup, int serverCpu) throws IOException {
        String tag = "viewers-" + mode.target;
        String joinToken = ManagerMember.secret("bjt_");
        String adminKey = ManagerMember.secret("bak_");
        int clusterPort = Ports.free();
        ManagerMember manager = ManagerMember.start(mode.target, Bench.logs().resolve(tag + "-manager.log"),
                setup.managerClasspath(), List.of(), Ports.free(), clusterPort, "127.0.0.1:" + clusterPort,
                List.of("cluster.name=abr-cost-bench-" + ProcessHandle.current().pid(), "nodes.heartbeatIntervalMs=1000"),
                Map.of("CASCADE_SM_SECURITY_JOIN_TOKEN", joinToken, "CASCADE_SM_SECURITY_ADMIN_KEY", adminKey));
        List<AutoCloseable> started = new ArrayList<>(List.of(manager));
        try {
            List<String> managed = List.of("manager.urls=" + manager.base(), "manager.joinToken=" + joinToken);
            CascadeNode origin = CascadeNode.start(setup.nodeClasspath(), "origin", 0, tag, managed, List.of());
            started.add(0, origin);
            List<String> edgeSets = new ArrayList<>(managed);
            if (mode == Mode.ON_NO_PROBE) {
                edgeSets.add("abr.probe=false");
            }
            CascadeNode edge = CascadeNode.start(setup.nodeClasspath(), "edge", 0, tag, edgeSets,
                    List.of("taskset", "-c", Integer.toString(serverCpu)));
            started.add(0, edge);
            Process publisher = Bench.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                    "-re", "-stream_loop", "-1", "-i", setup.topMedia().toString(),
                    "-re", "-stream_loop", "-1", "-i", setup.levelMedia().toString(),
                    "-map", "0", "-c", "copy", "-f", "mpegts", publish(origin, SOURCE),
                    "-map", "0", "-c", "copy", "-f", "mpegts", publish(origin, TOP),
                    "-map", "1", "-c", "copy", "-f", "mpegts", publish(origin, LEVEL)), Bench.logs().resolve(tag + "-publisher.log"));
            started.add(0, () -> Bench.stop(publisher));
            AbrCostTarget t = new AbrCostTarget(mode, manager, adminKey, joinToken, origin, edge, publisher);
            t.awaitReady(setup);
            return t;
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : started) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // stopping anyway
                }
            }
            throw e;
        }
    }

    /** The SRT URL ffmpeg publishes {@code key} to (20 ms latency, in microseconds for ffmpeg). */
    private static String publish(CascadeNode origin, String key) {
        return "srt://127.0.0.1:" + origin.srtPort + "?streamid=#!::r=" + key + ",m=publish&latency=20000";
    }

    /** The streams live at the manager, the edge in service, and the ladder there (or not) as the mode says. */
    private void awaitReady(Setup setup) throws IOException {
        await("the origin to hold " + SOURCE + ", " + TOP + " and " + LEVEL + " and the stream manager to know them"
                + ", and the edge INSERVICE", 30, () -> live(SOURCE) && live(TOP) && live(LEVEL)
                && "INSERVICE".equals(managerJson("/api/v1/nodes/" + edgeId).path("state").asText()));
        if (mode.abr()) {
            HttpResponse<String> put = manager.send("PUT", "/api/v1/streams/" + SOURCE + "/provision", adminKey,
                    setup.provision());
            if (put.statusCode() != 200) {
                throw new IllegalStateException("provision refused: " + put.statusCode() + " " + put.body());
            }
        }
        // What the edge will be told (the nodes' call, with the join token).
        HttpResponse<String> abr = manager.get("/api/v1/streams/" + (mode.abr() ? SOURCE : LEVEL) + "/abr", joinToken);
        boolean ladder = abr.statusCode() == 200 && Bench.JSON.readTree(abr.body()).path("ladder").size() == 2;
        if (ladder != mode.abr()) {
            throw new IllegalStateException(mode.target + ": the stream manager's ladder for what the viewers watch is "
                    + abr.statusCode() + " " + abr.body());
        }
        Bench.log("  %s: stream manager %s, origin %d, edge %s (HTTP %d) pinned; viewers watch %s%s", mode.target,
                manager.base(), origin.httpPort, edgeId, edge.httpPort, endpoint.getPath(),
                mode.abr() ? ", ladder " + Bench.JSON.readTree(abr.body()).path("ladder") : " (no ladder)");
    }

    private boolean live(String key) throws IOException {
        return managerJson("/api/v1/streams/" + key).path("live").asBoolean();
    }

    private JsonNode managerJson(String path) throws IOException {
        HttpResponse<String> r = manager.get(path, adminKey);
        return r.statusCode() == 200 ? Bench.JSON.readTree(r.body()) : Bench.JSON.missingNode();
    }

    private interface Check {
        boolean ok() throws IOException;
    }

    private static void await(String what, int seconds, Check check) throws IOException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Bench.sleep(250);
        }
        throw new IOException("waited " + seconds + " s for " + what + "; logs in bench/results/tmp/logs/");
    }

    @Override
    public String name() {
        return mode.target;
    }

    @Override
    public void windowOpens() throws IOException {
        JsonNode sessions = sessions();
        paddingAtOpen = sum(sessions, "/abr/paddingPackets");
        sentAtOpen = sum(sessions, "/packetsSent");
        openedAt = System.nanoTime();
    }

    /**
     * The edge's account of the step ({@code GET /api/v1/webrtc}, {@code /api/v1/streams}, its
     * metrics) and the stream manager's (its heartbeat), with what contradicts the mode under
     * {@code problems}: a viewer not connected, not on level 2 with ABR (or with ABR when off),
     * switched since it started, or counted more than once.
     */
    @Override
    public Map<String, Object> windowClosed(int viewers) throws IOException {
        JsonNode sessions = sessions();
        double seconds = (System.nanoTime() - openedAt) / 1e9;
        List<String> problems = new ArrayList<>();
        Map<String, Integer> byStream = new TreeMap<>();
        Map<String, Integer> byState = new TreeMap<>();
        Map<String, Integer> byLevel = new TreeMap<>();
        int withAbr = 0;
        int probing = 0;
        long extraSwitches = 0;
        long rembMin = Long.MAX_VALUE;
        long rembMax = 0;
        for (JsonNode s : sessions) {
            byStream.merge(s.path("stream").asText(), 1, Integer::sum);
            byState.merge(s.path("state").asText(), 1, Integer::sum);
            JsonNode a = s.get("abr");
            if (a == null) {
                continue;
            }
            withAbr++;
            byLevel.merge("level " + a.path("level").asInt() + " (target " + a.path("targetLevel").asInt() + ", "
                    + a.path("reason").asText() + ")", 1, Integer::sum);
            probing += a.path("probing").asBoolean() ? 1 : 0;
            extraSwitches += Math.max(0, a.path("switches").asLong() - 1);
            rembMin = Math.min(rembMin, a.path("lastRembBps").asLong());
            rembMax = Math.max(rembMax, a.path("lastRembBps").asLong());
        }
        String watched = mode.abr() ? SOURCE : LEVEL;
        if (byStream.getOrDefault(watched, 0) != viewers || byState.getOrDefault("SECURE", 0) != viewers) {
            problems.add("the edge has " + byStream + " sessions by stream, " + byState + " by state, for " + viewers
                    + " connected viewers of " + watched);
        }
        String onLevel2 = "level 2 (target 2, start)";
        if (mode.abr() && (withAbr != viewers || byLevel.getOrDefault(onLevel2, 0) != viewers)) {
            problems.add(withAbr + " of " + viewers + " sessions with ABR; by level: " + byLevel);
        }
        if (!mode.abr() && withAbr > 0) {
            problems.add(withAbr + " sessions with ABR although " + watched + " has no ladder");
        }
        if (extraSwitches > 0) {
            problems.add(extraSwitches + " switches after the start (a fixed REMB should hold every viewer on level 2)");
        }
        JsonNode node = managerJson("/api/v1/nodes/" + edgeId);
        int counted = node.path("load").path("subscribers").asInt(-1);
        if (counted != viewers) {
            problems.add("the edge's heartbeat counts " + counted + " subscribers for " + viewers + " viewers");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sessionsByStream", byStream);
        out.put("sessionsByState", byState);
        if (mode.abr()) {
            out.put("abrByLevel", byLevel);
            out.put("rembBpsMinMax", List.of(rembMin == Long.MAX_VALUE ? 0 : rembMin, rembMax));
            out.put("probingAtEnd", probing);
            long padding = sum(sessions, "/abr/paddingPackets") - paddingAtOpen;
            long sent = sum(sessions, "/packetsSent") - sentAtOpen;
            out.put("paddingPacketsPerSecond", Math.round(padding / seconds));
            out.put("mediaPacketsPerSecond", Math.round(sent / seconds));
            out.put("paddingShareOfPackets", sent + padding == 0 ? 0 : Math.round(1000.0 * padding / (sent + padding)) / 1000.0);
        }
        out.put("edgeStreams", edgeStreams());
        out.put("managerCountsSubscribers", counted);
        out.put("switchesByReason", switchesByReason());
        out.put("problems", problems);
        return out;
    }

    private JsonNode sessions() throws IOException {
        return Bench.JSON.readTree(edge.get("/api/v1/webrtc").body()).path("sessions");
    }

    /** The sum over sessions of the number at {@code pointer} (a JSON pointer: {@code /abr/paddingPackets}). */
    private static long sum(JsonNode sessions, String pointer) {
        long n = 0;
        for (JsonNode s : sessions) {
            n += s.at(pointer).asLong();
        }
        return n;
    }

    /** The streams the edge pulls, with their subscriber counts (outputs and SRT subscribers, not viewers). */
    private Map<String, Object> edgeStreams() throws IOException {
        Map<String, Object> out = new TreeMap<>();
        for (JsonNode s : Bench.JSON.readTree(edge.get("/api/v1/streams").body()).path("streams")) {
            out.put(s.path("stream").asText(), s.path("subscribers").asInt());
        }
        return out;
    }

    private Map<String, Double> switchesByReason() throws IOException {
        Map<String, Double> out = new TreeMap<>();
        Bench.prometheusSamples(edge.get("/metrics").body()).forEach((sample, value) -> {
            if (sample.startsWith("cascade_abr_switches_total{")) {
                out.put(sample.replaceAll(".*reason=\"([^\"]*)\".*", "$1"), value);
            }
        });
        return out;
    }

    @Override
    public void close() {
        Bench.stop(publisher);
        edge.close();
        origin.close();
        manager.close();
    }
}
