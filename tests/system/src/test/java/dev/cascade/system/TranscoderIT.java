package dev.cascade.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.manager.it.Await;
import dev.cascade.manager.it.ManagerProcess;
import dev.cascade.node.it.Media;
import dev.cascade.node.it.NodeProcess;
import dev.cascade.node.it.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ABR transcoders as nodes, all real: a stream manager, an origin and transcoder node processes,
 * ffmpeg publishing a 720p test source over SRT, the real ffmpeg making the ladder.
 *
 * <ol>
 *   <li>A 3-level provision is PUT; the manager gives the stream to the transcoder, which publishes
 *       {@code live/NAME_1.._3} to the origin: ffprobe reads each through the origin over SRT (size,
 *       H.264 constrained baseline, Opus).</li>
 *   <li>The transcoder's ffmpeg is killed with SIGKILL while an SRT viewer of the source records it:
 *       the viewer keeps receiving across the kill, the ladder comes back, and the transcoder counts
 *       one restart (the starts the origin refused while the killed publishers timed out count apart).</li>
 *   <li>The whole transcoder node is killed with SIGKILL: its ffmpeg dies with it, the manager marks it
 *       FAILED and gives the stream to a second transcoder, and the variants are readable again.</li>
 * </ol>
 * No speed is asserted: the machine has two cores for all of it.
 */
class TranscoderIT {
    static final Path ARTIFACTS = Path.of(System.getProperty("cascade.artifacts"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final String STREAM = "live/abr";
    static final String LADDER = "{\"ladder\":["
            + "{\"level\":1,\"width\":1280,\"height\":720,\"bitrateKbps\":2500,\"fps\":30},"
            + "{\"level\":2,\"width\":854,\"height\":480,\"bitrateKbps\":1000,\"fps\":30},"
            + "{\"level\":3,\"width\":640,\"height\":360,\"bitrateKbps\":400,\"fps\":30}]}";
    static final int[][] SIZES = {{1280, 720}, {854, 480}, {640, 360}};

    private ManagerProcess manager;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (NodeProcess n : nodes) {
            n.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void theLadderIsPublishedSurvivesAKilledFfmpegAndMovesWhenItsTranscoderDies() throws Exception {
        Files.createDirectories(ARTIFACTS);
        manager = ManagerProcess.startAlone("transcoder-manager", Map.of("nodes.heartbeatIntervalMs", "500",
                "nodes.heartbeatTimeoutMs", "3000"));
        Map<String, String> managed = Map.of("manager.urls", manager.base(), "manager.joinToken", ManagerProcess.JOIN_TOKEN);
        NodeProcess origin = start("origin", managed);
        Map<String, String> transcoderSets = new HashMap<>(managed);
        transcoderSets.put("transcoder.maxJobs", "1");
        NodeProcess t1 = start("transcoder", transcoderSets);
        String t1Id = "transcoder-" + t1.srtPort;
        Await.until("origin and transcoder in service", 30, () ->
                manager.http.get("/nodes?state=INSERVICE", ManagerProcess.ADMIN_KEY).json().path("items").size() == 2);
        JsonNode registered = manager.http.get("/nodes/" + t1Id, ManagerProcess.ADMIN_KEY).json();
        assertThat(registered.path("role").asText()).isEqualTo("transcoder");
        assertThat(registered.path("srtPort").asInt()).isZero();
        assertThat(registered.path("capacity").path("maxJobs").asInt()).isEqualTo(1);

        // The publisher: 720p30 libx264 constrained baseline and AAC over SRT, as an encoder sends.
        String srt = "srt://127.0.0.1:" + origin.srtPort + "?streamid=#!::r=";
        processes.add(new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "warning", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "600", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-profile:v", "baseline",
                "-g", "30", "-c:a", "aac", "-b:a", "96k", "-f", "mpegts", srt + STREAM + ",m=publish")
                .redirectErrorStream(true).redirectOutput(ARTIFACTS.resolve("transcoder-publisher.log").toFile()).start());
        Await.until("the stream live at the manager", 30, () ->
                manager.http.get("/streams/" + STREAM, ManagerProcess.ADMIN_KEY).json().path("live").asBoolean());

        var put = manager.http.put("/streams/" + STREAM + "/provision", ManagerProcess.ADMIN_KEY, LADDER);
        assertThat(put.status()).as(put.body()).isEqualTo(200);
        Await.until("the stream's job on " + t1Id, 30, () -> t1Id.equals(manager.http.get("/streams/" + STREAM,
                ManagerProcess.ADMIN_KEY).json().path("transcode").path("transcoder").asText()));
        awaitVariantsLive(origin, 60);
        for (int level = 1; level <= 3; level++) {
            assertVariant(origin, level);
        }
        JsonNode abr = manager.http.get("/streams/" + STREAM + "/abr", ManagerProcess.JOIN_TOKEN).json();
        assertThat(abr.path("transcoder").asText()).isEqualTo(t1Id);
        assertThat(abr.path("ladder").size()).isEqualTo(3);
        // The manager shows the transcoder on the stream, pulling from the origin.
        JsonNode stream = manager.http.get("/streams/" + STREAM, ManagerProcess.ADMIN_KEY).json();
        assertThat(stream.path("routes").toString()).contains("{\"from\":\"" + t1Id + "\",\"to\":\"origin-" + origin.srtPort + "\"}");
        assertThat(stream.path("transcode").path("variants").toString())
                .isEqualTo("[\"live/abr_1\",\"live/abr_2\",\"live/abr_3\"]");

        // An SRT viewer of the source, recording it, across a SIGKILL of the transcoder's ffmpeg.
        Path recording = ARTIFACTS.resolve("transcoder-viewer.ts");
        Files.deleteIfExists(recording);
        Process viewer = Media.record(srt + STREAM + ",m=request", recording, ARTIFACTS.resolve("transcoder-viewer.log"));
        processes.add(viewer);
        Await.until("the viewer receives", 30, () -> Files.exists(recording) && Files.size(recording) > 200_000);
        JsonNode job = job(t1);
        assertThat(job.path("state").asText()).isEqualTo("running");
        assertThat(job.path("restarts").asInt()).isZero();
        long pid = job.path("pid").asLong();
        long beforeKill = Files.size(recording);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        Await.until("the ffmpeg process gone", 10, () -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        Await.until("the viewer keeps receiving right after the kill", 10, () -> Files.size(recording) > beforeKill + 100_000);
        Await.until("the ladder back in a new ffmpeg", 60, () -> {
            JsonNode j = job(t1);
            return "running".equals(j.path("state").asText()) && j.path("pid").asLong() != pid;
        });
        long afterRecovery = Files.size(recording);
        Await.until("the viewer still receiving after the ladder came back", 10, () ->
                Files.size(recording) > afterRecovery + 100_000);
        assertThat(viewer.isAlive()).as("the source's viewer never noticed").isTrue();
        awaitVariantsLive(origin, 30);
        for (int level = 1; level <= 3; level++) {
            assertVariant(origin, level);
        }
        JsonNode back = job(t1);
        assertThat(back.path("restarts").asInt()).as(back.toString()).isEqualTo(1);
        assertThat(t1.metrics().sum("cascade_transcoder_restarts_total", "stream", STREAM)).isEqualTo(1.0);
        assertThat(t1.metrics().sum("cascade_transcoder_jobs")).isEqualTo(1.0);
        assertThat(t1.metrics().sum("cascade_transcoder_frames_total", "stream", STREAM)).isPositive();

        // A second transcoder; the first one's whole process is killed: its ffmpeg dies with it (parent
        // death signal), it goes FAILED, and the stream moves to the second one.
        NodeProcess t2 = start("transcoder", transcoderSets);
        String t2Id = "transcoder-" + t2.srtPort;
        Await.until(t2Id + " in service", 30, () -> "INSERVICE".equals(
                manager.http.get("/nodes/" + t2Id, ManagerProcess.ADMIN_KEY).json().path("state").asText()));
        assertThat(job(t2)).as("a healthy job does not move").isNull();
        long ffmpegOfT1 = job(t1).path("pid").asLong();
        ProcessHandle.of(t1.pid()).orElseThrow().destroyForcibly();
        Await.until("t1's ffmpeg gone with it", 10, () ->
                !ProcessHandle.of(ffmpegOfT1).map(ProcessHandle::isAlive).orElse(false));
        Await.until("the stream's job moved to " + t2Id, 30, () -> t2Id.equals(manager.http.get("/streams/" + STREAM,
                ManagerProcess.ADMIN_KEY).json().path("transcode").path("transcoder").asText()));
        Await.until("the ladder running on " + t2Id, 60, () -> {
            JsonNode j = job(t2);
            return j != null && "running".equals(j.path("state").asText());
        });
        awaitVariantsLive(origin, 30);
        for (int level = 1; level <= 3; level++) {
            assertVariant(origin, level);
        }
        assertThat(viewer.isAlive()).isTrue();
    }

    private NodeProcess start(String role, Map<String, String> sets) throws IOException {
        NodeProcess n = NodeProcess.start(role, Ports.free(), Ports.free(), 0, sets);
        nodes.add(n);
        return n;
    }

    /** The transcoder's job for {@link #STREAM} ({@code GET /api/v1/transcodes}), or null. Also AbrIT's. */
    static JsonNode job(NodeProcess transcoder) throws IOException {
        for (JsonNode j : JSON.readTree(transcoder.get("/api/v1/transcodes").body()).path("transcodes")) {
            if (STREAM.equals(j.path("stream").asText())) {
                return j;
            }
        }
        return null;
    }

    /** The origin has all three variants of {@link #STREAM} live. Also AbrIT's. */
    static void awaitVariantsLive(NodeProcess origin, int seconds) throws Exception {
        Await.until("the origin has " + STREAM + "_1.._3 live", seconds, () -> "LIVE".equals(origin.streamState(STREAM + "_1"))
                && "LIVE".equals(origin.streamState(STREAM + "_2")) && "LIVE".equals(origin.streamState(STREAM + "_3")));
    }

    /** ffprobe reads the variant through the origin over SRT: its size, H.264 constrained baseline, Opus. */
    private static void assertVariant(NodeProcess origin, int level) throws Exception {
        String url = "srt://127.0.0.1:" + origin.srtPort + "?streamid=#!::r=" + STREAM + "_" + level + ",m=request";
        String out = null;
        for (int attempt = 0; attempt < 3 && (out == null || !out.contains("codec_name=opus")); attempt++) {
            Process p = new ProcessBuilder("ffprobe", "-v", "error", "-analyzeduration", "3000000", "-probesize", "2000000",
                    "-show_entries", "stream=codec_type,codec_name,profile,width,height", "-of", "default=nw=1", url)
                    .redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(out).as("ffprobe " + url).contains("codec_name=h264", "profile=Constrained Baseline",
                "width=" + SIZES[level - 1][0], "height=" + SIZES[level - 1][1], "codec_name=opus");
    }
}
