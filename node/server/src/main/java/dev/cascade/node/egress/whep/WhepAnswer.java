package dev.cascade.node.egress.whep;

import dev.cascade.protocol.sdp.Fingerprint;
import dev.cascade.protocol.sdp.H264Profiles;
import dev.cascade.protocol.sdp.MediaDescription;
import dev.cascade.protocol.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a WHEP offer asks for and what we can give: checked first (each failure becomes a specific
 * 4xx problem), then written as the answer (RFC 8829 section 5.3; WHEP draft section 4.2).
 */
public final class WhepAnswer {
    static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    /**
     * Profiles to negotiate, best first. Encoders usually send High (x264's default), but Chromium
     * offers no plain High payload type (only 42001f, 42e01f, 4d001f, f4001f); its H.264 decoder
     * decodes any of them whatever the negotiated profile-level-id says, as other WebRTC servers
     * that forward encoder output rely on too. So: the highest profile the offer can take.
     */
    static final String[] PROFILE_PREFERENCE = {"64001f", "4d001f", "42e01f"};

    /** An offer we cannot serve, with the HTTP status and the sentence the problem body carries. */
    public static final class Refusal extends Exception {
        final int status;
        final String reason;

        Refusal(int status, String reason, String message) {
            super(message);
            this.status = status;
            this.reason = reason;
        }
    }

    final String videoMid;
    final int videoPayloadType;
    final int absSendTimeId;
    final String remoteUfrag;
    final String remoteFingerprint;
    private final SessionDescription offer;
    private final MediaDescription video;

    private WhepAnswer(SessionDescription offer, MediaDescription video, String mid, int pt, int absId,
                       String ufrag, String fingerprint) {
        this.offer = offer;
        this.video = video;
        this.videoMid = mid;
        this.videoPayloadType = pt;
        this.absSendTimeId = absId;
        this.remoteUfrag = ufrag;
        this.remoteFingerprint = fingerprint;
    }

    /** Checks an offer; throws a {@link Refusal} naming what is missing. */
    public static WhepAnswer check(SessionDescription offer) throws Refusal {
        MediaDescription video = offer.media().stream().filter(m -> m.isVideo() && !m.isRejected()).findFirst()
                .orElseThrow(() -> new Refusal(400, "no_video", "the offer has no video section; Cascade serves H.264 video"));
        String mid = video.mid().orElseThrow(() -> new Refusal(400, "bad_offer", "the video section has no a=mid"));
        if (!offer.bundleMids().isEmpty() && !offer.bundleMids().contains(mid)) {
            throw new Refusal(400, "bad_offer", "the video section is not in the BUNDLE group");
        }
        if (!video.rtcpMux()) {
            throw new Refusal(400, "bad_offer", "the offer does not use a=rtcp-mux, which WHEP requires");
        }
        String ufrag = offer.iceUfrag(video).orElseThrow(() -> new Refusal(400, "bad_offer", "the offer has no a=ice-ufrag"));
        offer.icePwd(video).orElseThrow(() -> new Refusal(400, "bad_offer", "the offer has no a=ice-pwd"));
        Fingerprint fp = offer.fingerprint(video).orElseThrow(
                () -> new Refusal(400, "bad_offer", "the offer has no a=fingerprint"));
        if (!"sha-256".equalsIgnoreCase(fp.hashFunction())) {
            throw new Refusal(400, "bad_offer", "the offer's fingerprint uses " + fp.hashFunction() + "; Cascade checks sha-256");
        }
        Optional<H264Profiles.Match> h264 = Optional.empty();
        for (String profile : PROFILE_PREFERENCE) {
            h264 = H264Profiles.choose(video, profile).filter(m -> m.packetizationMode() == 1);
            if (h264.isPresent()) {
                break;
            }
        }
        if (h264.isEmpty()) {
            throw new Refusal(406, "no_codec",
                    "the offer has no H.264 payload type with packetization-mode=1; "
                            + "Cascade sends H.264 as it comes from the encoder (no transcoding for WebRTC yet)");
        }
        int absId = video.extMapId(ABS_SEND_TIME).orElse(-1);
        return new WhepAnswer(offer, video, mid, h264.get().payloadType(), absId, ufrag, fp.hex());
    }

    /** Writes the answer SDP. */
    String write(String iceUfrag, String icePwd, String fingerprint, String candidateIp, int port, int ssrc) {
        StringBuilder sb = new StringBuilder();
        List<String> mids = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            m.mid().ifPresent(mids::add);
        }
        line(sb, "v=0");
        line(sb, "o=- " + Long.toUnsignedString(System.nanoTime()) + " 2 IN IP4 " + candidateIp);
        line(sb, "s=Cascade");
        line(sb, "t=0 0");
        line(sb, "a=ice-lite");
        if (!mids.isEmpty()) {
            line(sb, "a=group:BUNDLE " + String.join(" ", mids));
        }
        line(sb, "a=msid-semantic: WMS cascade");
        for (MediaDescription m : offer.media()) {
            if (m == video) {
                video(sb, iceUfrag, icePwd, fingerprint, candidateIp, port, ssrc);
            } else {
                inactive(sb, m, iceUfrag, icePwd, fingerprint, candidateIp, port);
            }
        }
        return sb.toString();
    }

    private void video(StringBuilder sb, String ufrag, String pwd, String fingerprint, String ip, int port, int ssrc) {
        int pt = videoPayloadType;
        line(sb, "m=video " + port + " UDP/TLS/RTP/SAVPF " + pt);
        transport(sb, videoMid, ufrag, pwd, fingerprint, ip, port);
        line(sb, "a=sendonly");
        if (video.rtcpReducedSize()) {
            line(sb, "a=rtcp-rsize");
        }
        line(sb, "a=rtpmap:" + pt + " H264/90000");
        video.fmtp(pt).ifPresent(f -> line(sb, "a=fmtp:" + pt + " " + f.parameters()));
        line(sb, "a=rtcp-fb:" + pt + " nack");
        line(sb, "a=rtcp-fb:" + pt + " nack pli");
        line(sb, "a=rtcp-fb:" + pt + " ccm fir");
        line(sb, "a=rtcp-fb:" + pt + " goog-remb");
        if (absSendTimeId > 0) {
            line(sb, "a=extmap:" + absSendTimeId + " " + ABS_SEND_TIME);
        }
        line(sb, "a=msid:cascade video");
        line(sb, "a=ssrc:" + Integer.toUnsignedString(ssrc) + " cname:cascade");
        line(sb, "a=ssrc:" + Integer.toUnsignedString(ssrc) + " msid:cascade video");
    }

    /** Sections we do not send yet (audio until the Opus rendition exists): kept in the bundle, inactive. */
    private void inactive(StringBuilder sb, MediaDescription m, String ufrag, String pwd, String fingerprint,
                          String ip, int port) {
        List<Integer> pts = m.payloadTypes();
        int pt = pts.isEmpty() ? 0 : pts.get(0);
        line(sb, "m=" + m.media() + " " + port + " UDP/TLS/RTP/SAVPF " + pt);
        transport(sb, m.mid().orElse(""), ufrag, pwd, fingerprint, ip, port);
        line(sb, "a=inactive");
        m.rtpMap(pt).ifPresent(r -> line(sb, "a=rtpmap:" + r.value()));
    }

    private static void transport(StringBuilder sb, String mid, String ufrag, String pwd, String fingerprint,
                                  String ip, int port) {
        line(sb, "c=IN IP4 " + ip);
        line(sb, "a=mid:" + mid);
        line(sb, "a=ice-ufrag:" + ufrag);
        line(sb, "a=ice-pwd:" + pwd);
        line(sb, "a=fingerprint:sha-256 " + fingerprint);
        line(sb, "a=setup:passive");
        line(sb, "a=rtcp-mux");
        line(sb, "a=candidate:1 1 udp 2130706431 " + ip + " " + port + " typ host");
        line(sb, "a=end-of-candidates");
    }

    private static void line(StringBuilder sb, String s) {
        sb.append(s).append("\r\n");
    }
}
