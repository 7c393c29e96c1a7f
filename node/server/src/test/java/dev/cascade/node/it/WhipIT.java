package dev.cascade.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WHIP ingest with real parts: Chromium publishes its fake camera and microphone through the
 * origin's publish page; the stream then travels origin -> relay -> edge as MPEG-TS like any
 * other, so an ffmpeg SRT pull from the edge decodes it and a second Chromium plays it over WHEP.
 */
class WhipIT {
    static Cluster cluster;
    @TempDir
    static Path tmp;
    static Process publisher;
    static final String KEY = "live/cam";

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(Map.of());
        publisher = Chromium.publish("http://127.0.0.1:" + cluster.origin.httpPort + "/publish/" + KEY, 40,
                tmp.resolve("publish.json"), tmp.resolve("publish.log"));
        Await.until("the origin receives keyframes over WHIP", 30, () -> cluster.origin.metrics()
                .sum("cascade_stream_keyframes_total", "stream", KEY) >= 1);
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.destroyForcibly();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anSrtPullFromTheEdgeDecodesTheBrowsersVideoAndAudio() throws Exception {
        Path out = tmp.resolve("edge.ts");
        Process pull = Media.record("srt://127.0.0.1:" + cluster.edge.srtPort + "?streamid=#!::r=" + KEY + ",m=request",
                out, tmp.resolve("pull.log"));
        assertThat(pull.waitFor(8, TimeUnit.SECONDS)).as("the pull records until stopped").isFalse();
        pull.destroy();
        assertThat(pull.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long[] frames = Media.countFrames(out);
        assertThat(frames[0]).as("H.264 frames decoded from 8 s of the browser's camera").isGreaterThanOrEqualTo(60);
        assertThat(frames[1]).as("Opus frames decoded").isGreaterThan(100);
    }

    @Test
    void aSecondChromiumPlaysTheWhipStreamOverWhep() throws Exception {
        Path out = tmp.resolve("watch.json");
        Path log = tmp.resolve("watch.log");
        JsonNode summary = Chromium.result(
                Chromium.watch("http://127.0.0.1:" + cluster.edge.httpPort + "/watch/" + KEY, 8, out, log), out, log, 90)
                .get("summary");
        assertThat(summary.get("state").asText()).as(summary.toString()).isEqualTo("playing");
        assertThat(summary.get("framesDecodedIncreasingEverySecond").asBoolean()).as(summary.toString()).isTrue();
        assertThat(summary.get("videoCodec").asText()).startsWith("H264");
        // The browser's Opus travels as TS to the edge and back out as RTP: audio plays too.
        assertThat(summary.get("audioSamplesReceived").asLong() - summary.get("audioSamplesReceivedStart").asLong())
                .as("audio samples received in 8 s\n%s", summary).isGreaterThan(48_000L * 4);
        assertThat(summary.get("audioSamplesIncreasingEverySecond").asBoolean()).isTrue();

        // Capture time stamped by the publishing browser in an SEI, read back by the playing one.
        JsonNode g2g = summary.get("glassToGlass");
        assertThat(g2g.isNull()).as("glass-to-glass measured\n%s", summary).isFalse();
        assertThat(g2g.get("count").asLong()).isGreaterThan(100);
        System.out.printf("glass-to-glass, Chromium WHIP -> origin -> relay -> edge -> Chromium WHEP: p50 %s ms, p95 %s ms (%s frames)%n",
                g2g.get("p50"), g2g.get("p95"), g2g.get("count"));
        assertThat(g2g.get("p50").asDouble()).as("glass-to-glass p50 ms").isBetween(0.0, 2000.0);
    }

    @Test
    void theOriginListsTheWhipSessionWithTheFramesItMuxed() throws Exception {
        Await.until("the WHIP publisher shows frames in /api/v1/webrtc", 10, () -> {
            JsonNode sessions = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(cluster.origin.get("/api/v1/webrtc").body()).get("sessions");
            for (JsonNode s : sessions) {
                if ("whip".equals(s.get("kind").asText()) && KEY.equals(s.get("stream").asText())
                        && "SECURE".equals(s.get("state").asText())) {
                    return s.get("videoFrames").asLong() > 30 && s.get("audioFrames").asLong() > 50;
                }
            }
            return false;
        });
    }

    @Test
    void aSecondWhipPublisherOfTheLiveStreamGets409AndTheEdgeHasNoWhip() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String offer = WhepIT.offer(WhepIT.H264).replace("a=recvonly", "a=sendonly");
        HttpResponse<String> second = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.origin.httpPort + "/whip/" + KEY))
                .header("content-type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(second.statusCode()).as(second.body()).isEqualTo(409);
        assertThat(second.body()).contains("already has a live publisher");
        HttpResponse<String> atEdge = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.edge.httpPort + "/whip/" + KEY))
                .header("content-type", "application/sdp").POST(HttpRequest.BodyPublishers.ofString(offer)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(atEdge.statusCode()).isEqualTo(404);
    }
}
