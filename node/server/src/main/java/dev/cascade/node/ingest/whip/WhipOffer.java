package dev.cascade.node.ingest.whip;

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
 * A WHIP offer checked against what the cluster carries (H.264 with packetization-mode 1, and
 * Opus if there is audio), and the answer to it: every accepted section {@code recvonly}.
 */
final class WhipOffer {
    final SessionDescription offer;
    final MediaDescription video;
    final int videoPt;
    final MediaDescription audio;
    final int audioPt;
    final String remoteUfrag;
    final String remoteFingerprint;

    private WhipOffer(SessionDescription offer, MediaDescription video, int videoPt, MediaDescription audio, int audioPt,
                      String ufrag, String fp) {
        this.offer = offer;
        this.video = video;
        this.videoPt = videoPt;
        this.audio = audio;
        this.audioPt = audioPt;
        this.remoteUfrag = ufrag;
        this.remoteFingerprint = fp;
    }

    static WhipOffer check(SessionDescription offer) throws Refusal {
        MediaDescription video = OfferCheck.video(offer, "ingests");
        OfferCheck.Transport transport = OfferCheck.transport(offer, video);
        // Browsers encode Constrained Baseline for WebRTC; any mode-1 H.264 is fine to carry.
        Optional<H264Profiles.Match> h264 = H264Profiles.choose(video, "42e01f").filter(m -> m.packetizationMode() == 1);
        if (h264.isEmpty()) {
            throw new Refusal(406, "no_codec", "the offer's video has no H.264 payload type with packetization-mode=1; "
                    + "the cluster carries H.264 in MPEG-TS (VP8/VP9/AV1 are not ingested yet)");
        }
        MediaDescription audio = OfferCheck.audio(offer);
        int audioPt = OfferCheck.opusPayloadType(audio);
        if (audio != null && audioPt < 0) {
            throw new Refusal(406, "no_codec", "the offer's audio has no opus/48000/2 payload type");
        }
        return new WhipOffer(offer, video, h264.get().payloadType(), audio, audioPt, transport.ufrag(), transport.fingerprint());
    }

    String answer(WebRtcSession session, String fingerprint, String ip, int port) {
        List<String> mids = new ArrayList<>();
        offer.media().forEach(m -> m.mid().ifPresent(mids::add));
        SdpAnswerWriter w = new SdpAnswerWriter(session, fingerprint, ip, port).session(mids);
        for (MediaDescription m : offer.media()) {
            String mid = m.mid().orElse("");
            if (m == video) {
                w.media("video", Integer.toString(videoPt), mid).line("a=recvonly");
                if (m.rtcpReducedSize()) {
                    w.line("a=rtcp-rsize");
                }
                w.line("a=rtpmap:" + videoPt + " H264/90000");
                m.fmtp(videoPt).ifPresent(f -> w.line("a=fmtp:" + videoPt + " " + f.parameters()));
                w.line("a=rtcp-fb:" + videoPt + " nack").line("a=rtcp-fb:" + videoPt + " nack pli")
                        .line("a=rtcp-fb:" + videoPt + " ccm fir");
            } else if (m == audio) {
                w.media("audio", Integer.toString(audioPt), mid).line("a=recvonly")
                        .line("a=rtpmap:" + audioPt + " opus/48000/2");
                m.fmtp(audioPt).ifPresent(f -> w.line("a=fmtp:" + audioPt + " " + f.parameters()));
            } else {
                List<Integer> pts = m.payloadTypes();
                w.media(m.media(), Integer.toString(pts.isEmpty() ? 0 : pts.get(0)), mid).line("a=inactive");
            }
        }
        return w.text();
    }
}
