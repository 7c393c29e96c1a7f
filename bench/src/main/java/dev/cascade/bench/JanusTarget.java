package dev.cascade.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cascade.client.WebRtcPeer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Janus (Debian package {@code janus}) with its streaming plugin as the server under viewer load:
 * {@code bench/janus/start.sh} runs it pinned to the server CPU from a private configuration (HTTP
 * transport and streaming plugin only, ICE-lite, one RTP mountpoint, one shared event loop), and
 * ffmpeg feeds the mountpoint the same file Cascade gets, as RTP. Each viewer goes through Janus's
 * HTTP API: create a session, attach the streaming plugin, {@code watch} mountpoint 1, take the
 * offer from the long poll, {@code start} with our answer. Sessions never time out (session_timeout
 * 0), so viewers need no keepalives: that spares Janus an HTTP request per viewer every 30 s.
 */
final class JanusTarget implements ViewersBench.Target {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final long pid;
    private final Process feed;
    private final InetAddress iceAddress;
    private final AtomicLong transactions = new AtomicLong();

    private JanusTarget(URI api, long pid, Process feed, InetAddress iceAddress) {
        this.api = api;
        this.pid = pid;
        this.feed = feed;
        this.iceAddress = iceAddress;
    }

    static JanusTarget start(Path media, int serverCpu, int eventLoops) throws IOException, InterruptedException {
        Path script = Bench.root().resolve("bench/janus/start.sh");
        int httpPort = Ports.free();
        int videoPort = Ports.free();
        int audioPort = Ports.free();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString())
                .redirectError(Bench.logs().resolve("viewers-janus-start.log").toFile());
        pb.environment().put("JANUS_CPUS", Integer.toString(serverCpu));
        pb.environment().put("JANUS_EVENT_LOOPS", eventLoops > 0 ? Integer.toString(eventLoops) : "");
        pb.environment().put("JANUS_SESSION_TIMEOUT", "0");
        pb.environment().put("JANUS_HTTP_PORT", Integer.toString(httpPort));
        pb.environment().put("JANUS_VIDEO_PORT", Integer.toString(videoPort));
        pb.environment().put("JANUS_AUDIO_PORT", Integer.toString(audioPort));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
            throw new IOException("bench/janus/start.sh failed; see " + Bench.logs().resolve("viewers-janus-start.log"));
        }
        String[] lines = out.split("\n");
        long pid = Long.parseLong(lines[lines.length - 1].trim());
        InetAddress ice = InetAddress.getByName(iceAddress());
        Process feed = null;
        try {
            feed = Bench.start(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
                    "-re", "-stream_loop", "-1", "-i", media.toString(),
                    "-map", "0:v", "-c", "copy", "-f", "rtp", "-payload_type", "96", "-ssrc", "1111",
                    "rtp://127.0.0.1:" + videoPort + "?pkt_size=1200",
                    "-map", "0:a", "-c", "copy", "-f", "rtp", "-payload_type", "111", "-ssrc", "2222",
                    "rtp://127.0.0.1:" + audioPort + "?pkt_size=1200"),
                    Bench.logs().resolve("viewers-janus-feed.log"));
            JanusTarget t = new JanusTarget(URI.create("http://127.0.0.1:" + httpPort + "/janus"), pid, feed, ice);
            Bench.sleep(2000); // a keyframe in the mountpoint before the first viewer
            return t;
        } catch (IOException | RuntimeException e) {
            if (feed != null) {
                Bench.stop(feed);
            }
            stopJanus(pid);
            throw e;
        }
    }

    /** The address Janus offers candidates on: it never gathers on loopback (see bench/janus/README.md). */
    private static String iceAddress() throws IOException {
        String route = Bench.run(5, "ip", "-4", "route", "get", "1.1.1.1");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" src ([0-9.]+)").matcher(route);
        if (!m.find()) {
            throw new IOException("no IPv4 source address for Janus's candidates (ip route get 1.1.1.1: " + route + ")");
        }
        return m.group(1);
    }

    static String version() {
        return Bench.run(5, "dpkg-query", "-W", "-f=${Version}", "janus");
    }

    @Override
    public String name() {
        return "janus";
    }

    @Override
    public long serverPid() {
        return pid;
    }

    @Override
    public InetAddress viewerAddress() {
        return iceAddress;
    }

    @Override
    public void connect(WebRtcPeer peer) throws Exception {
        long session = post(api, body("create")).path("data").path("id").asLong();
        URI sessionUri = URI.create(api + "/" + session);
        ObjectNode attach = body("attach");
        attach.put("plugin", "janus.plugin.streaming");
        long handle = post(sessionUri, attach).path("data").path("id").asLong();
        URI handleUri = URI.create(sessionUri + "/" + handle);
        ObjectNode watch = body("message");
        watch.putObject("body").put("request", "watch").put("id", 1);
        post(handleUri, watch);
        String offer = awaitOffer(sessionUri);
        ObjectNode start = body("message");
        start.putObject("body").put("request", "start");
        start.putObject("jsep").put("type", "answer").put("sdp", peer.answer(offer));
        post(handleUri, start);
        peer.connect(null, 15_000);
    }

    private String awaitOffer(URI sessionUri) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sessionUri + "?maxev=1"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode ev = Bench.JSON.readTree(r.body());
            if (ev.isArray() && ev.size() > 0) {
                ev = ev.get(0);
            }
            JsonNode jsep = ev.path("jsep");
            if ("offer".equals(jsep.path("type").asText())) {
                return jsep.path("sdp").asText();
            }
            if ("error".equals(ev.path("janus").asText())
                    || ev.path("plugindata").path("data").has("error")) {
                throw new IOException("Janus refused watch: " + ev);
            }
        }
        throw new IOException("no offer from Janus in 15 s");
    }

    private ObjectNode body(String janus) {
        ObjectNode n = Bench.JSON.createObjectNode();
        n.put("janus", janus);
        n.put("transaction", "t" + transactions.incrementAndGet());
        return n;
    }

    private JsonNode post(URI uri, ObjectNode body) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(15))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Bench.JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode n = Bench.JSON.readTree(r.body());
        if (r.statusCode() != 200 || "error".equals(n.path("janus").asText())) {
            throw new IOException("Janus " + body.path("janus").asText() + " failed: " + r.statusCode() + " " + r.body());
        }
        return n;
    }

    private static void stopJanus(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    @Override
    public void close() {
        Bench.stop(feed);
        stopJanus(pid);
        try {
            Files.deleteIfExists(Bench.root().resolve("bench/janus/run/janus.pid"));
        } catch (IOException e) {
            // start.sh checks the pid is alive anyway
        }
    }
}
