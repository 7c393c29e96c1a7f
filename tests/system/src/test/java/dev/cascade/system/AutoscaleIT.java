package dev.cascade.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cascade.client.FollowingWhepViewer;
import dev.cascade.client.PeerLoop;
import dev.cascade.client.WhepSignaling;
import dev.cascade.manager.it.Await;
import dev.cascade.manager.it.Http;
import dev.cascade.manager.it.ManagerProcess;
import dev.cascade.node.it.Media;
import dev.cascade.webrtc.DtlsCertificate;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole autoscaling loop on the local platform, for real: a stream manager whose autoscaler runs
 * {@code terraform apply} on terraform/modules/local, which starts and stops node processes.
 *
 * <ul>
 *   <li>Scale out: one edge (capacity 4) takes 3 WHEP viewers (75% > 70%); a second edge is created
 *       by an apply, registers and gets the next placement.</li>
 *   <li>Scale in: viewers leave (25% < 30%); the newer edge drains, its viewer is moved to the other
 *       edge make-before-break (media from the new session before the old one closed), and the edge
 *       is destroyed by an apply.</li>
 *   <li>Replace: the edge is killed with SIGKILL; it goes FAILED and a new edge takes its place.</li>
 *   <li>Scheduled event: extra edges are INSERVICE before the start and released after the end.</li>
 *   <li>Failing cloud: a rule's first cloud fails its apply; the failure is reported with Terraform's
 *       output and its node goes to the next cloud.</li>
 * </ul>
 */
class AutoscaleIT {
    static final Path ROOT = Path.of(System.getProperty("cascade.root")).toAbsolutePath().normalize();
    static final Path ARTIFACTS = Path.of(System.getProperty("cascade.artifacts"));
    static final String KEY = ManagerProcess.ADMIN_KEY;
    static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());
    static final DtlsCertificate IDENTITY = DtlsCertificate.generate(CRYPTO);

    private ManagerProcess manager;
    private String name;
    private Path work;
    private Process publisher;
    private PeerLoop loop;
    private final List<FollowingWhepViewer> viewers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (FollowingWhepViewer v : viewers) {
            v.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (publisher != null) {
            publisher.destroyForcibly();
        }
        if (manager != null) {
            // Destroy every node the deployments started: groups gone -> nothing wanted -> apply.
            try {
                for (JsonNode g : manager.http.get("/nodegroups", KEY).json().path("items")) {
                    manager.http.delete("/nodegroups/" + g.path("name").asText(), KEY);
                }
                Await.until("every started node destroyed", 60, () -> liveNodePids().isEmpty());
            } finally {
                Files.writeString(ARTIFACTS.resolve("autoscale-" + name + "-decisions.json"),
                        manager.http.get("/decisions?limit=1000", KEY).body());
                manager.close();
                for (long pid : liveNodePids()) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /** A stream manager whose autoscaler uses {@code modules}, at the test's timescale. */
    private void startManager(String name, Path modules, Map<String, String> extra) throws IOException {
        Files.createDirectories(ARTIFACTS);
        work = Files.createTempDirectory("cascade-autoscale-");
        Path node = ROOT.resolve("node/server/target");
        Map<String, String> sets = new HashMap<>(Map.of(
                "nodes.heartbeatIntervalMs", "500", "nodes.heartbeatTimeoutMs", "3000",
                "autoscaler.intervalMs", "500", "autoscaler.sustainMs", "1500", "autoscaler.drainTimeoutMs", "60000",
                "autoscaler.bootTimeoutMs", "120000", "autoscaler.cloudRetryMs", "600000",
                "cloud.modulesDir", modules.toString(), "cloud.workDir", work.toString(),
                "cloud.nodeCommand", "java -Xms32m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '"
                        + node + "/classes:" + node + "/lib/*' dev.cascade.node.Main"));
        sets.put("cloud.attempts", "2");
        sets.put("cloud.firstBackoffMs", "200");
        sets.putAll(extra);
        this.name = name;
        manager = ManagerProcess.startAlone(name, sets);
    }

    private void createGroup(String json) throws IOException {
        var r = manager.http.post("/nodegroups", KEY, json);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static String edgeRule(int min, int max) {
        return "{\"role\":\"edge\",\"region\":\"local\",\"min\":" + min + ",\"max\":" + max + ",\"scaleOutThreshold\":0.7,"
                + "\"scaleInThreshold\":0.3,\"coolDownSeconds\":1,\"capacity\":{\"maxSubscribers\":4}}";
    }

    private JsonNode nodes(String role, String state) throws IOException {
        return manager.http.get("/nodes?role=" + role + "&state=" + state, KEY).json().path("items");
    }

    private Set<String> ids(String role, String state) throws IOException {
        Set<String> out = new TreeSet<>();
        nodes(role, state).forEach(n -> out.add(n.path("id").asText()));
        return out;
    }

    private List<JsonNode> decisions(String action) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        manager.http.get("/decisions?limit=1000", KEY).json().path("items").forEach(d -> {
            if (d.path("action").asText().equals(action)) {
                out.add(d);
            }
        });
        return out;
    }

    /** Pids of node processes the local module started that are still running. */
    private List<Long> liveNodePids() throws IOException {
        List<Long> out = new ArrayList<>();
        if (work == null) {
            return out;
        }
        try (var files = Files.walk(work)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                String pid = Files.readString(p).trim().split("\\s+")[0];
                ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive).ifPresent(h -> out.add(h.pid()));
            }
        }
        return out;
    }

    private long pidOf(String nodeId) throws IOException {
        try (var files = Files.walk(work)) {
            Path p = files.filter(f -> f.getFileName().toString().equals(nodeId + ".pid")).findFirst().orElseThrow();
            return Long.parseLong(Files.readString(p).trim().split("\\s+")[0]);
        }
    }

    private FollowingWhepViewer watch(String stream, String name) throws Exception {
        // As a player does: a 503 no-capacity (placements not yet reported count as load for a
        // moment) is asked again.
        var placed = new Http.Response[1];
        Await.until(name + " placed", 30, () -> {
            placed[0] = manager.http.get("/streams/" + stream + "/subscribe", null);
            return placed[0].status() == 200;
        });
        JsonNode sub = placed[0].json();
        FollowingWhepViewer v = new FollowingWhepViewer(name, loop, new WhepSignaling(), CRYPTO, IDENTITY,
                URI.create(sub.path("whepUrl").asText())).start();
        viewers.add(v);
        Await.until(name + " decodes video", 30, () -> v.videoFrames() > 10);
        return v;
    }

    private String edgeOf(FollowingWhepViewer v) throws IOException {
        int port = v.currentEndpoint().getPort();
        for (JsonNode n : nodes("edge", "INSERVICE")) {
            if (n.path("httpPort").asInt() == port) {
                return n.path("id").asText();
            }
        }
        for (JsonNode n : nodes("edge", "DRAINING")) {
            if (n.path("httpPort").asInt() == port) {
                return n.path("id").asText();
            }
        }
        return null;
    }

    @Test
    void scalesOutOnLoadDrainsMovingViewersAndReplacesAKilledNode() throws Exception {
        startManager("autoscale", ROOT.resolve("terraform/modules"), Map.of());
        createGroup("{\"name\":\"live\",\"rules\":[{\"role\":\"origin\",\"region\":\"local\",\"min\":1,\"max\":1},"
                + "{\"role\":\"relay\",\"region\":\"local\",\"min\":1,\"max\":1}," + edgeRule(1, 2) + "]}");
        Await.until("an origin, a relay and an edge started by terraform are INSERVICE", 90, () ->
                ids("origin", "INSERVICE").size() == 1 && ids("relay", "INSERVICE").size() == 1
                        && ids("edge", "INSERVICE").size() == 1);
        String e1 = ids("edge", "INSERVICE").iterator().next();
        assertThat(e1).startsWith("live-edge-");
        assertThat(decisions("APPLIED")).isNotEmpty();
        assertThat(decisions("SCALE_OUT")).extracting(d -> d.path("reason").asText()).contains("below min 1");

        String stream = "live/autoscale";
        JsonNode pub = manager.http.get("/streams/" + stream + "/publish", null).json();
        publisher = Media.publishTestPattern(pub.path("srtUrl").asText(), 600, "320x180", ARTIFACTS.resolve("autoscale-ffmpeg.log"));
        Await.until("the stream is live", 30, () -> manager.http.get("/streams/" + stream, KEY).json().path("live").asBoolean());

        // Scale out: 3 viewers of 4 on the only edge is 75%, above 70%.
        loop = new PeerLoop("autoscale-viewers");
        List<FollowingWhepViewer> first = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            first.add(watch(stream, "v" + i));
        }
        for (FollowingWhepViewer v : first) {
            assertThat(edgeOf(v)).isEqualTo(e1);
        }
        Await.until("a second edge, created by terraform apply, is INSERVICE", 90, () -> ids("edge", "INSERVICE").size() == 2);
        Set<String> edges = ids("edge", "INSERVICE");
        edges.remove(e1);
        String e2 = edges.iterator().next();
        assertThat(decisions("SCALE_OUT")).anySatisfy(d -> {
            assertThat(d.path("rule").asText()).isEqualTo("edge/local");
            assertThat(d.path("reason").asText()).contains("above 70%");
            assertThat(d.path("nodes").toString()).contains(e2);
        });
        assertThat(liveNodePids()).hasSize(4);

        // The new edge gets placements: the first edge is at 3 of 4, above the bound of the average.
        FollowingWhepViewer v4 = watch(stream, "v4");
        assertThat(edgeOf(v4)).isEqualTo(e2);

        // Scale in: two viewers leave; 1 + 1 of 8 is 25%, below 30%. The newer edge drains, its
        // viewer moves to the other edge make-before-break, and terraform destroys it.
        first.get(1).stop();
        first.get(2).stop();
        Await.until("the drained edge is TERMINATED", 90, () -> {
            JsonNode n = manager.http.get("/nodes/" + e2, KEY).json();
            return "TERMINATED".equals(n.path("state").asText());
        });
        assertThat(decisions("DRAIN")).anySatisfy(d -> {
            assertThat(d.path("nodes").toString()).contains(e2);
            assertThat(d.path("reason").asText()).contains("below 30%");
        });
        assertThat(decisions("TERMINATE")).anySatisfy(d -> assertThat(d.path("reason").asText()).contains(e2 + " is drained"));
        assertThat(v4.moves()).hasSize(1);
        FollowingWhepViewer.Move move = v4.moves().get(0);
        assertThat(move.newFrames()).as("the new session delivered frames before the old one was closed").isPositive();
        assertThat(move.newKeyframes()).isPositive();
        assertThat(edgeOf(v4)).isEqualTo(e1);
        long frames = v4.videoFrames();
        Await.until("the moved viewer keeps receiving on the first edge", 15, () -> v4.videoFrames() > frames + 30);
        assertThat(first.get(0).moves()).isEmpty();
        Await.until("the drained edge's process is gone", 30, () -> liveNodePids().size() == 3);

        // Replace: SIGKILL the remaining edge.
        for (FollowingWhepViewer v : viewers) {
            v.stop();
        }
        ProcessHandle.of(pidOf(e1)).orElseThrow().destroyForcibly();
        Await.until("the killed edge is FAILED and a new edge is INSERVICE", 90, () -> {
            Set<String> in = ids("edge", "INSERVICE");
            return "FAILED".equals(manager.http.get("/nodes/" + e1, KEY).json().path("state").asText())
                    && in.size() == 1 && !in.contains(e1) && !in.contains(e2);
        });
        assertThat(decisions("REPLACE")).anySatisfy(d -> {
            assertThat(d.path("nodes").toString()).contains(e1);
            assertThat(d.path("reason").asText()).contains("FAILED");
        });
    }

    @Test
    void aScheduledEventHasItsEdgesInServiceBeforeTheStartAndReleasesThemAfterTheEnd() throws Exception {
        startManager("schedule", ROOT.resolve("terraform/modules"), Map.of("autoscaler.leadSafetyFactor", "3"));
        createGroup("{\"name\":\"sched\",\"rules\":[" + edgeRule(1, 3) + "]}");
        Await.until("the group's first edge is INSERVICE", 90, () -> ids("edge", "INSERVICE").size() == 1);
        // 6 viewers at 4 per edge filled to 70% (2 each): 3 edges from start - lead to end.
        Instant start = Instant.now().plusSeconds(45);
        Instant end = start.plusSeconds(5);
        var created = manager.http.post("/scheduledevents", KEY, "{\"name\":\"final\",\"group\":\"sched\",\"start\":\"" + start
                + "\",\"end\":\"" + end + "\",\"expectedViewers\":6}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("id").asText()).matches("ev_[0-9a-f]{12}");
        Await.until("the event starts", 60, () -> !Instant.now().isBefore(start));
        JsonNode atStart = nodes("edge", "INSERVICE");
        assertThat(atStart.size()).as("edges INSERVICE at the start").isEqualTo(3);
        for (JsonNode n : atStart) {
            assertThat(Instant.parse(n.path("stateSince").asText())).as(n.path("id").asText() + " INSERVICE before the start")
                    .isBefore(start);
        }
        assertThat(decisions("SCALE_OUT")).anySatisfy(d -> assertThat(d.path("reason").asText())
                .contains("event 'final'").contains("needs 3 nodes"));
        Await.until("after the end the extra edges are drained and destroyed", 90, () ->
                ids("edge", "INSERVICE").size() == 1 && ids("edge", "DRAINING").isEmpty() && liveNodePids().size() == 1);
        // which edges go is the planner's choice (the least loaded); two of the three go
        assertThat(ids("edge", "TERMINATED")).hasSize(2);
        assertThat(ids("edge", "INSERVICE")).hasSize(1).doesNotContainAnyElementsOf(ids("edge", "TERMINATED"));
        assertThat(decisions("DRAIN")).hasSize(2);
    }

    @Test
    void aFailingCloudIsReportedAndItsNodesGoToTheNextCloud() throws Exception {
        // A modules directory with the real local module and an openstack module that fails.
        Path modules = Files.createTempDirectory("cascade-modules-");
        Files.createSymbolicLink(modules.resolve("local"), ROOT.resolve("terraform/modules/local"));
        Path broken = Files.createDirectories(modules.resolve("openstack"));
        Files.copy(Path.of(System.getProperty("cascade.root"), "tests/system/src/test/resources/failing-module/main.tf"),
                broken.resolve("main.tf"));
        // The failing cloud gets past the controller's checks (it has an image) and fails in terraform.
        Path platforms = Files.writeString(modules.resolve("platforms.yaml"), "openstack:\n  image: debian-12\n");
        startManager("failover", modules, Map.of("cloud.platformsFile", platforms.toString()));
        createGroup("{\"name\":\"multi\",\"rules\":[{\"role\":\"edge\",\"region\":\"local\",\"min\":1,\"max\":2,"
                + "\"clouds\":[{\"cloud\":\"openstack\",\"priority\":1},{\"cloud\":\"local\",\"priority\":2}]}]}");
        Await.until("the edge runs on the next cloud", 120, () -> {
            JsonNode in = nodes("edge", "INSERVICE");
            return in.size() == 1 && "local".equals(in.get(0).path("cloud").asText());
        });
        assertThat(decisions("APPLY_FAILED")).anySatisfy(d -> {
            assertThat(d.path("cloud").asText()).isEqualTo("openstack");
            assertThat(d.path("reason").asText()).contains("failed");
        });
        assertThat(decisions("FAILOVER")).anySatisfy(d -> {
            assertThat(d.path("cloud").asText()).isEqualTo("local");
            assertThat(d.path("reason").asText()).contains("cloud openstack could not start them");
        });
        JsonNode deployments = manager.http.get("/deployments", KEY).json();
        JsonNode os = null;
        for (JsonNode d : deployments.path("items")) {
            if (d.path("cloud").asText().equals("openstack")) {
                os = d;
            }
        }
        assertThat(os).isNotNull();
        assertThat(os.path("output").asText()).as("terraform's diagnostics are reported").isNotBlank();
        assertThat(deployments.path("clouds").toString()).contains("openstack");
    }
}
