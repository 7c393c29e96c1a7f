package dev.cascade.node.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cascade.client.PeerLoop;
import dev.cascade.client.WebRtcPeer;
import dev.cascade.client.WhepSignaling;
import dev.cascade.webrtc.DtlsCertificate;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A WHEP session from the inside, driven by our Java WebRTC peer (its own ICE, DTLS client, SRTP
 * and RTCP; the same one the viewer load benchmark runs by the thousand) against a real edge:
 * SRTP media and sender reports arrive and authenticate, REMB and receiver reports reach the
 * viewer's record, a lost packet is NACKed and retransmitted, a PLI is counted, bad packets from
 * inside an established session are rejected and counted without hurting it, and a peer that stops
 * its consent checks is dropped.
 */
class WebRtcSessionIT {
    static final String KEY = "live/peer";
    static final long CONSENT_TIMEOUT_MS = 3000;
    static Cluster cluster;
    @TempDir
    static Path tmp;
    static Process publisher;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final BcTlsCrypto CRYPTO = new BcTlsCrypto(new SecureRandom());
    static final DtlsCertificate IDENTITY = DtlsCertificate.generate(CRYPTO);
    static PeerLoop loop;
    WebRtcPeer peer;
    WhepSignaling.Session session;
    final WhepSignaling whep = new WhepSignaling();

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start(Map.of("webrtc.consentTimeoutMs", Long.toString(CONSENT_TIMEOUT_MS)));
        publisher = Media.publishTestPattern(cluster.publishUrl("peer"), 120, "320x180", tmp.resolve("pub.log"));
        Await.until("origin has the stream", 20, () -> cluster.origin.metrics()
                .sum("cascade_stream_keyframes_total", "stream", KEY) >= 1);
        loop = new PeerLoop("test-peers");
    }

    @AfterAll
    static void stop() {
        if (loop != null) {
            loop.close();
        }
        if (publisher != null) {
            publisher.destroyForcibly();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closePeer() throws Exception {
        if (peer != null) {
            loop.remove(peer).get(5, TimeUnit.SECONDS);
        }
        if (session != null) {
            whep.delete(session);
        }
        assertThat(cluster.allAlive()).as(cluster.logs()).isTrue();
    }

    private WebRtcPeer connect(WebRtcPeer p) throws Exception {
        session = whep.offer(URI.create("http://127.0.0.1:" + cluster.edge.httpPort + "/whep/" + KEY), p.offer(true));
        p.connect(session.answer(), 10_000);
        peer = p;
        loop.add(p).get(5, TimeUnit.SECONDS);
        return p;
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> c) throws Exception {
        return loop.call(c).get(5, TimeUnit.SECONDS);
    }

    private JsonNode viewerRecord() throws Exception {
        String id = session.resource().getPath().substring(session.resource().getPath().lastIndexOf('/') + 1);
        JsonNode sessions = new ObjectMapper().readTree(HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + cluster.edge.httpPort + "/api/v1/webrtc")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("sessions");
        for (JsonNode s : sessions) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        return null;
    }

    @Test
    void srtpMediaAndReportsFlowBothWays() throws Exception {
        WebRtcPeer p = connect(WebRtcPeer.open(InetAddress.getLoopbackAddress(), CRYPTO, IDENTITY).remb(3_210_000));
        Await.until("video, audio, sender reports and an answered consent check", 20, () -> onLoop(() ->
                p.video.unique >= 100 && p.audio.unique >= 50 && p.senderReports >= 2 && p.consentResponses >= 1));
        onLoop(() -> {
            // Every packet was authenticated and decrypted (verifyEvery 1), none failed.
            assertThat(p.decrypted).isEqualTo(p.video.packets + p.audio.packets);
            assertThat(p.authFailures).isZero();
            return null;
        });
        // What our REMB and receiver reports said is what the edge keeps for this viewer.
        Await.until("REMB kept per viewer", 10, () -> {
            JsonNode v = viewerRecord();
            return v != null && v.get("rembBps").asLong() == 3_210_000 && v.get("packetsSent").asLong() > 0;
        });
        assertThat(viewerRecord().get("state").asText()).isEqualTo("SECURE");
    }

    @Test
    void aLostPacketIsNackedAndRetransmitted() throws Exception {
        Set<Integer> lostOnce = ConcurrentHashMap.newKeySet();
        AtomicInteger toLose = new AtomicInteger(20);
        AtomicInteger seen = new AtomicInteger();
        // Lose the first arrival of 20 video packets (every 7th), never their retransmission; not
        // before the first packets came (a receiver cannot know of a loss before its first packet).
        WebRtcPeer p = WebRtcPeer.open(InetAddress.getLoopbackAddress(), CRYPTO, IDENTITY)
                .injectVideoLoss(seq -> seen.incrementAndGet() > 10 && seq % 7 == 0 && !lostOnce.contains(seq)
                        && toLose.getAndUpdate(n -> Math.max(0, n - 1)) > 0 && lostOnce.add(seq));
        connect(p);
        try {
            Await.until("20 packets lost and recovered", 20, () -> onLoop(() -> p.injectedLosses == 20 && p.video.recovered == 20));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + onLoop(() -> "lost " + p.injectedLosses + ", recovered "
                    + p.video.recovered + ", NACKs " + p.nacksSent + " naming " + p.nackedPackets + ", duplicates "
                    + p.video.duplicates + ", auth failures " + p.authFailures) + "; edge: " + viewerRecord(), e);
        }
        onLoop(() -> {
            assertThat(p.nackedPackets).isGreaterThanOrEqualTo(20);
            assertThat(p.video.lost()).as("nothing missing once the retransmissions came").isZero();
            assertThat(p.authFailures).isZero();
            return null;
        });
        assertThat(viewerRecord().get("retransmissions").asLong()).isGreaterThanOrEqualTo(20);
    }

    @Test
    void aPliIsCountedAndTheViewerKeepsPlaying() throws Exception {
        WebRtcPeer p = connect(WebRtcPeer.open(InetAddress.getLoopbackAddress(), CRYPTO, IDENTITY));
        Await.until("video", 20, () -> onLoop(() -> p.video.unique >= 30));
        long duplicatesBefore = onLoop(() -> {
            p.sendPli();
            p.sendPli();
            return p.video.duplicates;
        });
        Await.until("two keyframe requests counted", 10, () -> viewerRecord().get("keyframeRequests").asLong() == 2);
        long before = onLoop(() -> p.video.unique);
        Await.until("video goes on", 10, () -> onLoop(() -> p.video.unique > before + 30));
        // No resend of packets the viewer has (SRTP replay protection would drop them anyway).
        assertThat(onLoop(() -> p.video.duplicates)).isEqualTo(duplicatesBefore);
    }

    @Test
    void badPacketsInsideASessionAreCountedAndTheSessionGoesOn() throws Exception {
        WebRtcPeer p = connect(WebRtcPeer.open(InetAddress.getLoopbackAddress(), CRYPTO, IDENTITY));
        Await.until("video", 20, () -> onLoop(() -> p.video.unique >= 30));
        Metrics before = cluster.edge.metrics();
        Random rnd = new Random(11);
        onLoop(() -> {
            // 1. Well-protected SRTCP around RTCP that is not RTCP: a length word pointing past the end.
            byte[] bad = new byte[16];
            bad[0] = (byte) 0x80;
            bad[1] = (byte) 201; // RR
            bad[2] = 0x00;
            bad[3] = 0x40; // 64 words, the packet has 4
            ByteBuffer.wrap(bad).putInt(4, p.localSsrc());
            p.sendRawRtcp(bad, bad.length);
            // 2. SRTCP whose authentication tag is wrong.
            byte[] forged = new byte[60];
            rnd.nextBytes(forged);
            forged[0] = (byte) 0x81;
            forged[1] = (byte) 201;
            forged[2] = 0;
            forged[3] = 7;
            ByteBuffer.wrap(forged).putInt(4, p.localSsrc());
            p.sendRaw(forged);
            // 3. DTLS after the handshake: a handshake record of random bytes.
            byte[] dtls = new byte[80];
            rnd.nextBytes(dtls);
            dtls[0] = 22;
            dtls[1] = (byte) 0xFE;
            dtls[2] = (byte) 0xFD;
            p.sendRaw(dtls);
            // 4. An RTP packet to a viewer session, which sends none.
            byte[] rtp = new byte[40];
            rnd.nextBytes(rtp);
            rtp[0] = (byte) 0x80;
            rtp[1] = 96;
            p.sendRaw(rtp);
            return null;
        });
        Await.until("each rejection counted", 10, () -> {
            Metrics m = cluster.edge.metrics();
            return delta(m, before, "rtcp_malformed") == 1 && delta(m, before, "srtcp_auth") == 1
                    && delta(m, before, "dtls_after_handshake") == 1 && delta(m, before, "whep_unexpected_rtp") == 1;
        });
        long after = onLoop(() -> p.video.unique);
        Await.until("video goes on", 10, () -> onLoop(() -> p.video.unique > after + 30));
        onLoop(() -> {
            assertThat(p.authFailures).isZero();
            return null;
        });
        assertThat(viewerRecord().get("state").asText()).isEqualTo("SECURE");
    }

    private static double originKeyframes() throws Exception {
        return cluster.origin.metrics().sum("cascade_stream_keyframes_total", "stream", KEY);
    }

    private static double delta(Metrics now, Metrics before, String reason) {
        return now.sum("cascade_rejections_total", "reason", reason) - before.sum("cascade_rejections_total", "reason", reason);
    }

    @Test
    void aPeerThatStopsItsConsentChecksIsDropped() throws Exception {
        WebRtcPeer p = connect(WebRtcPeer.open(InetAddress.getLoopbackAddress(), CRYPTO, IDENTITY).consent(false));
        Await.until("video", 20, () -> onLoop(() -> p.video.unique >= 30));
        assertThat(viewerRecord()).isNotNull();
        // No consent check for webrtc.consentTimeoutMs (3 s here): the edge ends the session.
        Await.until("session gone from the edge", 15, () -> viewerRecord() == null);
        long last = onLoop(() -> p.video.packets);
        // The stream goes on (two more keyframes at the origin: at least a whole 2 s GOP in between)
        // and none of it reaches the peer whose session ended.
        double keyframes = originKeyframes();
        Await.until("two more keyframes at the origin", 15, () -> originKeyframes() >= keyframes + 2);
        assertThat(onLoop(() -> p.video.packets)).as("no media after the session ended").isLessThanOrEqualTo(last + 2);
        assertThat(whep.delete(session)).as("DELETE of an expired session").isEqualTo(404);
        session = null;
    }
}
