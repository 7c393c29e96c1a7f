package dev.cascade.client;

import dev.cascade.protocol.sdp.Candidate;
import dev.cascade.protocol.sdp.Fingerprint;
import dev.cascade.protocol.sdp.MediaDescription;
import dev.cascade.protocol.sdp.RtpMap;
import dev.cascade.protocol.sdp.SessionDescription;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * What a receive-only peer needs from the server's SDP (a WHEP answer, or a server's offer as
 * Janus sends): ICE credentials, the DTLS fingerprint, the first UDP host candidate (BUNDLE: one
 * transport for all sections), and the payload types of H.264 and Opus.
 *
 * @param audioPayloadType -1 when the server sends no audio
 */
public record RemoteDescription(String ufrag, String pwd, String fingerprint, InetSocketAddress candidate,
                                int videoPayloadType, int audioPayloadType, boolean iceLite,
                                List<MediaDescription> sections) {

    /** Reads a server's SDP; an SDP we cannot use is an {@link IllegalArgumentException} saying why. */
    public static RemoteDescription parse(String sdp) {
        SessionDescription d = SessionDescription.parse(sdp);
        MediaDescription video = d.media().stream().filter(m -> m.isVideo() && !m.isRejected()).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the remote SDP has no video section"));
        MediaDescription audio = d.media().stream().filter(m -> m.isAudio() && !m.isRejected()).findFirst().orElse(null);
        String ufrag = d.iceUfrag(video).orElseThrow(() -> new IllegalArgumentException("no a=ice-ufrag"));
        String pwd = d.icePwd(video).orElseThrow(() -> new IllegalArgumentException("no a=ice-pwd"));
        Fingerprint fp = d.fingerprint(video).orElseThrow(() -> new IllegalArgumentException("no a=fingerprint"));
        InetSocketAddress candidate = d.media().stream().flatMap(m -> m.candidates().stream())
                .filter(c -> "udp".equalsIgnoreCase(c.transport()) && c.component() == 1 && !c.address().contains(":"))
                .findFirst().map(RemoteDescription::address)
                .orElseThrow(() -> new IllegalArgumentException("no UDP IPv4 candidate in the remote SDP"));
        int videoPt = payloadType(video, "H264", 90_000)
                .orElseThrow(() -> new IllegalArgumentException("the remote SDP has no H264/90000"));
        int audioPt = audio == null ? -1 : payloadType(audio, "opus", 48_000).orElse(-1);
        return new RemoteDescription(ufrag, pwd, fp.hex(), candidate, videoPt, audioPt, d.iceLite(), d.media());
    }

    private static InetSocketAddress address(Candidate c) {
        return new InetSocketAddress(c.address(), c.port());
    }

    private static Optional<Integer> payloadType(MediaDescription m, String codec, int clock) {
        return m.rtpMaps().stream().filter(r -> r.is(codec) && r.clockRate() == clock).map(RtpMap::payloadType).findFirst();
    }
}
