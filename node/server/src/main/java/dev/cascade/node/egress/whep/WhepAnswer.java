package dev.cascade.node.egress.whep;

import dev.cascade.node.webrtc.OfferCheck;
import dev.cascade.node.webrtc.OfferCheck.Refusal;
import dev.cascade.node.webrtc.SdpAnswerWriter;
import dev.cascade.node.webrtc.WebRtcSession;
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

    final String videoMid;
    final int videoPayloadType;
    final int absSendTimeId;
    final String remoteUfrag;
    /** The offer's Opus payload type, or -1 when it has no audio section we can fill. */
    final int audioPayloadType;
    private final MediaDescription audio;
    final String remoteFingerprint;
    private final SessionDescription offer;
    private final MediaDescription video;

    private WhepAnswer(SessionDescription offer, MediaDescription video, String mid, int pt, int absId,
                       String ufrag, String fingerprint, MediaDescription audio, int audioPt) {
        this.offer = offer;
        this.audio = audio;
        this.audioPayloadType = audioPt;
        this.video = video;
        this.videoMid = mid;
        this.videoPayloadType = pt;
        this.absSendTimeId = absId;
        this.remoteUfrag = ufrag;
        this.remoteFingerprint = fingerprint;
    }

    /** Checks an offer; throws a {@link Refusal} naming what is missing. */
    public static WhepAnswer check(SessionDescription offer) throws Refusal {
        MediaDescription video = OfferCheck.video(offer, "serves");
        String mid = video.mid().orElseThrow(() -> new Refusal(400, "bad_offer", "the video section has no a=mid"));
        if (!offer.bundleMids().isEmpty() && !offer.bundleMids().contains(mid)) {
            throw new Refusal(400, "bad_offer", "the video section is not in the BUNDLE group");
        }
        OfferCheck.Transport transport = OfferCheck.transport(offer, video);
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
        MediaDescription audio = OfferCheck.audio(offer);
        int audioPt = OfferCheck.opusPayloadType(audio);
        return new WhepAnswer(offer, video, mid, h264.get().payloadType(), absId, transport.ufrag(), transport.fingerprint(),
                audioPt < 0 ? null : audio, audioPt);
    }

    /** Writes the answer SDP. */
    String write(WebRtcSession session, String fingerprint, String candidateIp, int port, int ssrc, int audioSsrc) {
        List<String> mids = new ArrayList<>();
        for (MediaDescription m : offer.media()) {
            m.mid().ifPresent(mids::add);
        }
        SdpAnswerWriter w = new SdpAnswerWriter(session, fingerprint, candidateIp, port).session(mids);
        for (MediaDescription m : offer.media()) {
            if (m == video) {
                video(w, ssrc);
            } else if (m == audio) {
                // Opus as the stream carries it (WHIP publishers); AAC sources need the transcoder's
                // Opus rendition, not built yet, and then this track stays silent.
                int pt = audioPayloadType;
                w.media("audio", Integer.toString(pt), m.mid().orElse("")).line("a=sendonly")
                        .line("a=rtpmap:" + pt + " opus/48000/2");
                m.fmtp(pt).ifPresent(f -> w.line("a=fmtp:" + pt + " " + f.parameters()));
                w.line("a=msid:cascade audio")
                        .line("a=ssrc:" + Integer.toUnsignedString(audioSsrc) + " cname:cascade")
                        .line("a=ssrc:" + Integer.toUnsignedString(audioSsrc) + " msid:cascade audio");
            } else {
                // Sections we have nothing for: bundled, inactive.
                List<Integer> pts = m.payloadTypes();
                int pt = pts.isEmpty() ? 0 : pts.get(0);
                w.media(m.media(), Integer.toString(pt), m.mid().orElse("")).line("a=inactive");
                m.rtpMap(pt).ifPresent(r -> w.line("a=rtpmap:" + r.value()));
            }
        }
        return w.text();
    }

    private void video(SdpAnswerWriter w, int ssrc) {
        int pt = videoPayloadType;
        w.media("video", Integer.toString(pt), videoMid).line("a=sendonly");
        if (video.rtcpReducedSize()) {
            w.line("a=rtcp-rsize");
        }
        w.line("a=rtpmap:" + pt + " H264/90000");
        video.fmtp(pt).ifPresent(f -> w.line("a=fmtp:" + pt + " " + f.parameters()));
        w.line("a=rtcp-fb:" + pt + " nack").line("a=rtcp-fb:" + pt + " nack pli")
                .line("a=rtcp-fb:" + pt + " ccm fir").line("a=rtcp-fb:" + pt + " goog-remb");
        if (absSendTimeId > 0) {
            w.line("a=extmap:" + absSendTimeId + " " + ABS_SEND_TIME);
        }
        w.line("a=msid:cascade video")
                .line("a=ssrc:" + Integer.toUnsignedString(ssrc) + " cname:cascade")
                .line("a=ssrc:" + Integer.toUnsignedString(ssrc) + " msid:cascade video");
    }
}
