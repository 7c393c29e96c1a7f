package dev.cascade.node.egress.whep;

import dev.cascade.node.MediaNode;
import dev.cascade.webrtc.PacketBuffer;
import dev.cascade.node.webrtc.WebRtcPort;
import dev.cascade.node.webrtc.WebRtcSession;
import dev.cascade.protocol.ParseException;
import dev.cascade.protocol.rtcp.Fir;
import dev.cascade.protocol.rtcp.Nack;
import dev.cascade.protocol.rtcp.NtpTime;
import dev.cascade.protocol.rtcp.Pli;
import dev.cascade.protocol.rtcp.Remb;
import dev.cascade.protocol.rtcp.Rtcp;
import dev.cascade.protocol.rtcp.RtcpPacket;
import dev.cascade.protocol.sdp.SessionDescription;
import dev.cascade.protocol.streamid.StreamId;
import dev.cascade.protocol.streamid.StreamIdParseException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHEP (draft-ietf-wish-whep): {@code POST /whep/{app}/{name}} with an SDP offer answers
 * {@code 201 Created} with the SDP answer and a {@code Location} for the session, which
 * {@code DELETE} ends. The HTTP layer calls {@link #offer} and {@link #delete}; this class owns the
 * viewers' lifecycles and their RTCP feedback.
 */
public final class WhepEndpoint implements dev.cascade.node.webrtc.WebRtcHttpEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WhepEndpoint.class);

    private final MediaNode node;
    private final WebRtcPort port;
    private final String candidateIp;
    private final Map<String, WebRtcViewer> viewers = new ConcurrentHashMap<>();
    private volatile java.util.function.Consumer<WebRtcViewer> onDeleted = v -> {};
    private volatile java.util.function.Consumer<String> onSessionClosed = id -> {};

    /** The RFC 9457 problem type of the refusal of a draining edge. */
    public static final String NODE_DRAINING = "https://cascade.dev/problems/node-draining";
    /** Retry-After of that refusal: a player that cannot ask the stream manager tries again this much later. */
    public static final int DRAINING_RETRY_AFTER_SECONDS = 5;

    /** Where ladders come from: the stream manager on managed edges (set by Main), none otherwise. */
    private volatile LadderSource ladders = LadderSource.NONE;
    /** Hears every ABR switch with its viewer's session id, and the {@code variant} event's data. */
    private volatile java.util.function.BiConsumer<String, String> onVariant = (id, data) -> {};
    private final AbrViewer.Host abrHost;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    public WhepEndpoint(MediaNode node, WebRtcPort port, String candidateIp) {
        this.node = node;
        this.port = port;
        this.candidateIp = candidateIp;
        this.abrHost = new AbrHost();
    }

    /** Sets where this edge learns streams' ladders ({@code abr.enabled} is checked here). */
    public void ladders(LadderSource source) {
        this.ladders = node.config().abr().enabled() ? source : LadderSource.NONE;
    }

    /** Hears ABR switches: the viewer's session id and the {@code variant} event's JSON. */
    public void onVariant(java.util.function.BiConsumer<String, String> listener) {
        this.onVariant = listener;
    }

    @Override
    public String prefix() {
        return "whep";
    }

    public int viewerCount() {
        return viewers.size();
    }

    public Map<String, WebRtcViewer> viewers() {
        return viewers;
    }

    /** This edge's WHEP viewers per stream key (for the {@code viewercount} event). Any thread. */
    public Map<String, Integer> viewerCounts() {
        Map<String, Integer> counts = new java.util.HashMap<>();
        for (WebRtcViewer v : viewers.values()) {
            counts.merge(v.streamKey(), 1, Integer::sum);
        }
        return counts;
    }

    /** Hears every session its player DELETEd (before it closes). */
    public void onDeleted(java.util.function.Consumer<WebRtcViewer> listener) {
        this.onDeleted = listener;
    }

    /** Hears every session's end, whatever ended it, with its id. */
    public void onSessionClosed(java.util.function.Consumer<String> listener) {
        this.onSessionClosed = listener;
    }

    /** Handles an offer for {@code app/name}; completes on a Vert.x-free thread (the SRT loop). */
    @Override
    public CompletableFuture<Result> offer(String app, String name, String sdp) {
        if (node.refusesViewers()) {
            // draft-ietf-wish-whep-02 section 4.6: 503 with Retry-After for "scheduled maintenance".
            node.metrics().rejected("node_draining");
            return CompletableFuture.completedFuture(new Result(503, "Node draining",
                    "this edge is draining and takes no new viewers: ask the stream manager for another edge "
                            + "(GET /api/v1/streams/" + app + "/" + name + "/subscribe)",
                    null, null, NODE_DRAINING, DRAINING_RETRY_AFTER_SECONDS));
        }
        StreamId id;
        try {
            id = StreamId.parse(app + "/" + name);
        } catch (StreamIdParseException e) {
            node.metrics().rejected("whep_bad_stream");
            return CompletableFuture.completedFuture(Result.refused(400, "bad_stream", e.getMessage()));
        }
        WhepAnswer whep;
        try {
            whep = WhepAnswer.check(SessionDescription.parse(sdp));
        } catch (ParseException e) {
            node.metrics().rejected("whep_bad_sdp");
            return CompletableFuture.completedFuture(Result.refused(400, "bad_sdp", e.getMessage()));
        } catch (dev.cascade.node.webrtc.OfferCheck.Refusal r) {
            node.metrics().rejected("whep_" + r.reason());
            return CompletableFuture.completedFuture(r.result());
        }
        return ladders.ladder(id.key()).toCompletableFuture().exceptionally(e -> null).thenCompose(ladder -> node.loop().submit(() -> {
            WebRtcStreamOut out = node.webrtcOut(id);
            Viewer v = new Viewer(out, whep, ladder);
            String answer = whep.write(v.session, port.identity().fingerprint(), candidateIp, port.port(), out.ssrc(),
                    out.audioSsrc());
            String location = "/whep/" + id.app() + "/" + id.name() + "/" + v.session.id();
            viewers.put(v.session.id(), v.viewer);
            return new Result(201, null, null, answer, location);
        }));
    }

    @Override
    public boolean delete(String sessionId) {
        WebRtcViewer v = viewers.get(sessionId);
        if (v == null) {
            return false;
        }
        onDeleted.accept(v);
        v.session().close("deleted");
        return true;
    }

    /** Sender SSRCs whose SRTCP contexts a viewer session keeps. */
    private static final int MAX_RTCP_SENDERS = 4;

    /** Ties one session to its viewer and stream output. */
    private final class Viewer implements WebRtcSession.Listener {
        final WebRtcStreamOut out;
        final WebRtcSession session;
        final WebRtcViewer viewer;
        private final PacketBuffer rtcp = new PacketBuffer(1500);
        private final Map<Integer, SrtcpCryptoContext> rtcpContexts = new ConcurrentHashMap<>();

        Viewer(WebRtcStreamOut out, WhepAnswer whep, dev.cascade.node.egress.whep.abr.AbrLadder ladder) {
            this.out = out;
            this.session = port.open(whep.remoteUfrag, whep.remoteFingerprint, this);
            this.viewer = new WebRtcViewer(out.streamKey(), session, whep.videoPayloadType, whep.absSendTimeId,
                    whep.audioPayloadType);
            if (ladder != null) {
                // The splice's SSRC is the one the answer announces (the source's); its numbering starts
                // at random (RFC 3550 section 5.1).
                var abr = node.config().abr();
                viewer.abr = new AbrViewer(viewer, out, ladder,
                        new dev.cascade.node.egress.whep.abr.Splicer(out.ssrc(), random.nextInt(1 << 16), random.nextInt()),
                        abrHost, abr.retryMs(), abr.probe(), abr.probeMinIntervalMs(), abr.probeMaxIntervalMs());
            }
            viewer.onStreamEnd(() -> session.close("stream_ended"));
        }

        @Override
        public void onSecure(WebRtcSession s) {
            try {
                viewer.secure(out.ssrc(), out.audioSsrc());
            } catch (GeneralSecurityException e) {
                s.close("srtp_failed");
                return;
            }
            node.loop().execute(() -> out.addViewer(viewer));
        }

        @Override
        public void onRtcp(WebRtcSession s, ByteBuffer packet, int length) {
            if (length < 8 || length > rtcp.getBuffer().length - 16) {
                node.metrics().rejected("rtcp_malformed");
                return;
            }
            int senderSsrc = packet.getInt(4);
            List<RtcpPacket> packets;
            try {
                SrtcpCryptoContext ctx = rtcpContexts.get(senderSsrc);
                boolean fresh = ctx == null;
                if (fresh) {
                    ctx = s.srtp().rtcpReceiver(senderSsrc);
                }
                packet.get(0, rtcp.getBuffer(), 0, length);
                if (ctx.reverseTransformPacket(rtcp.set(length)) != SrtpErrorStatus.OK) {
                    node.metrics().rejected("srtcp_auth");
                    return;
                }
                // Keep a context only for a sender SSRC that authenticated, and a few of them: a
                // peer cycling SSRCs must not grow this map (a browser uses one or two).
                if (fresh && rtcpContexts.size() < MAX_RTCP_SENDERS) {
                    rtcpContexts.put(senderSsrc, ctx);
                }
                packets = Rtcp.parseCompound(ByteBuffer.wrap(rtcp.getBuffer(), 0, rtcp.getLength()));
            } catch (ParseException | GeneralSecurityException e) {
                node.metrics().rejected("rtcp_malformed");
                return;
            }
            for (RtcpPacket p : packets) {
                if (p instanceof Nack nack) {
                    node.loop().execute(() -> out.retransmit(viewer, nack));
                } else if (p instanceof Pli || p instanceof Fir) {
                    // Counted, not answered: see WebRtcStreamOut on why a cached keyframe cannot
                    // help a viewer that is already playing, and why a viewer that joins needs no PLI.
                    node.loop().execute(() -> viewer.keyframeRequests++);
                } else if (p instanceof Remb remb) {
                    long bps = remb.bitrate();
                    viewer.rembBps = bps;
                    AbrViewer abr = viewer.abr;
                    if (abr != null) {
                        node.loop().execute(() -> abr.onRemb(bps));
                    }
                } else if (p instanceof dev.cascade.protocol.rtcp.ReceiverReport rr) {
                    int arrival = NtpTime.compact(NtpTime.fromUnixMillis(System.currentTimeMillis()));
                    for (var block : rr.reports()) {
                        // Our sender reports carry the wall clock (WebRtcViewer.sendReports), so the
                        // arrival time must too; a block without an LSR gives -1 and is skipped.
                        long rtt = NtpTime.roundTripNanos(arrival, block.lastSenderReport(), block.delaySinceLastSenderReport());
                        if (rtt >= 0) {
                            viewer.rttNanos = rtt;
                        }
                        if (block.ssrc() == out.ssrc()) {
                            viewer.fractionLost = block.fractionLost();
                            viewer.cumulativeLost = block.cumulativeLost();
                            viewer.jitter = block.jitter();
                        }
                    }
                }
            }
        }

        @Override
        public void onRtp(WebRtcSession s, ByteBuffer packet, int length) {
            node.metrics().rejected("whep_unexpected_rtp"); // a WHEP viewer only receives
        }

        @Override
        public void onClosed(WebRtcSession s, String reason) {
            viewers.remove(s.id());
            onSessionClosed.accept(s.id());
            node.loop().execute(() -> node.removeWebRtcViewer(out, viewer));
            LOG.info("WHEP session {} of {} closed: {}", s.id(), out.streamKey(), reason);
        }
    }

    /** What an ABR viewer needs from its node; all on the loop thread. */
    private final class AbrHost implements AbrViewer.Host {
        @Override
        public WebRtcStreamOut variantOut(String streamKey) {
            try {
                return node.webrtcOut(StreamId.parse(streamKey));
            } catch (StreamIdParseException e) {
                return null; // a variant name the stream ID rules refuse (too long): no variant
            }
        }

        @Override
        public void release(WebRtcStreamOut out) {
            node.releaseWebRtcOut(out);
        }

        @Override
        public void switched(AbrViewer v, String reason) {
            node.metrics().abrSwitch(reason);
            int level = v.level();
            var ladder = v.ladder();
            var l = level >= 1 ? ladder.level(level) : null;
            String sessionId = v.viewer().session().id();
            LOG.info("WHEP session {} of {}: {} ({}, REMB {} kbps, estimate {} kbps, switch {})", sessionId,
                    ladder.streamKey(), l == null ? "the source" : "level " + level + " " + l.width() + "x" + l.height() + " "
                            + l.bitrateKbps() + " kbps", reason, v.lastRembBps() < 0 ? "-" : v.lastRembBps() / 1000,
                    v.estimateBps() < 0 ? "-" : v.estimateBps() / 1000, v.switches());
            var data = JSON.createObjectNode().put("level", Math.max(level, 0)).put("levels", ladder.size());
            if (l != null) {
                data.put("width", l.width()).put("height", l.height()).put("bitrateKbps", l.bitrateKbps());
            }
            data.put("reason", reason).put("rembKbps", Math.max(0, v.lastRembBps() / 1000)).put("switches", v.switches());
            onVariant.accept(sessionId, data.toString());
        }
    }
}
