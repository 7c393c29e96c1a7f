package dev.cascade.client;

import dev.cascade.protocol.sdp.MediaDescription;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The SDP a receive-only peer sends, written the way Chromium writes its own (BUNDLE, rtcp-mux,
 * {@code a=setup:actpass} in an offer and {@code active} in an answer, one host candidate since
 * we gather nothing else): an offer for WHEP, or an answer to a server's offer (Janus).
 */
public final class LocalDescription {
    /** abs-send-time (http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time), as Chromium numbers it. */
    static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    static final int VIDEO_PT = 102;
    static final int AUDIO_PT = 111;

    private LocalDescription() {}

    /** A recvonly offer for H.264 (constrained baseline, packetization-mode 1) and, if asked, Opus. */
    public static String offer(String ufrag, String pwd, String fingerprint, InetSocketAddress local, boolean audio) {
        StringBuilder sb = header(audio ? "0 1" : "0");
        video(sb, "0", VIDEO_PT, ufrag, pwd, fingerprint, "actpass", local, 3);
        if (audio) {
            audio(sb, "1", AUDIO_PT, ufrag, pwd, fingerprint, "actpass", local);
        }
        return sb.toString();
    }

    /**
     * An answer to a server's offer: every section it offers is answered in order (video and audio
     * recvonly with the payload types it chose, anything else rejected with port 0), DTLS client.
     */
    public static String answer(RemoteDescription offer, String ufrag, String pwd, String fingerprint, InetSocketAddress local) {
        List<String> mids = new ArrayList<>();
        for (MediaDescription m : offer.sections()) {
            m.mid().ifPresent(mids::add);
        }
        StringBuilder sb = header(String.join(" ", mids));
        boolean videoDone = false;
        boolean audioDone = false;
        for (MediaDescription m : offer.sections()) {
            String mid = m.mid().orElse(Integer.toString(mids.size()));
            if (m.isVideo() && !videoDone && !m.isRejected()) {
                videoDone = true;
                video(sb, mid, offer.videoPayloadType(), ufrag, pwd, fingerprint, "active", local,
                        m.extMapId(ABS_SEND_TIME).orElse(-1));
            } else if (m.isAudio() && !audioDone && !m.isRejected() && offer.audioPayloadType() >= 0) {
                audioDone = true;
                audio(sb, mid, offer.audioPayloadType(), ufrag, pwd, fingerprint, "active", local);
            } else {
                sb.append("m=").append(m.media()).append(" 0 ").append(m.proto()).append(' ')
                        .append(String.join(" ", m.formats())).append("\r\n")
                        .append("c=IN IP4 0.0.0.0\r\na=mid:").append(mid).append("\r\na=inactive\r\n");
            }
        }
        return sb.toString();
    }

    private static StringBuilder header(String bundle) {
        return new StringBuilder()
                .append("v=0\r\n")
                .append("o=- ").append(System.nanoTime() & Long.MAX_VALUE).append(" 2 IN IP4 127.0.0.1\r\n")
                .append("s=-\r\n")
                .append("t=0 0\r\n")
                .append("a=group:BUNDLE ").append(bundle).append("\r\n")
                .append("a=msid-semantic: WMS\r\n");
    }

    private static void transport(StringBuilder sb, String mid, String ufrag, String pwd, String fingerprint,
                                  String setup, InetSocketAddress local) {
        sb.append("c=IN IP4 ").append(local.getAddress().getHostAddress()).append("\r\n")
                .append("a=rtcp:").append(local.getPort()).append(" IN IP4 ").append(local.getAddress().getHostAddress()).append("\r\n")
                .append("a=candidate:1 1 udp 2122260223 ").append(local.getAddress().getHostAddress()).append(' ')
                .append(local.getPort()).append(" typ host generation 0\r\n")
                .append("a=end-of-candidates\r\n")
                .append("a=ice-ufrag:").append(ufrag).append("\r\n")
                .append("a=ice-pwd:").append(pwd).append("\r\n")
                .append("a=fingerprint:sha-256 ").append(fingerprint).append("\r\n")
                .append("a=setup:").append(setup).append("\r\n")
                .append("a=mid:").append(mid).append("\r\n");
    }

    private static void video(StringBuilder sb, String mid, int pt, String ufrag, String pwd, String fingerprint,
                              String setup, InetSocketAddress local, int absSendTimeId) {
        sb.append("m=video ").append(local.getPort()).append(" UDP/TLS/RTP/SAVPF ").append(pt).append("\r\n");
        transport(sb, mid, ufrag, pwd, fingerprint, setup, local);
        if (absSendTimeId > 0) {
            sb.append("a=extmap:").append(absSendTimeId).append(' ').append(ABS_SEND_TIME).append("\r\n");
        }
        sb.append("a=recvonly\r\n")
                .append("a=rtcp-mux\r\n")
                .append("a=rtcp-rsize\r\n")
                .append("a=rtpmap:").append(pt).append(" H264/90000\r\n")
                .append("a=rtcp-fb:").append(pt).append(" goog-remb\r\n")
                .append("a=rtcp-fb:").append(pt).append(" nack\r\n")
                .append("a=rtcp-fb:").append(pt).append(" nack pli\r\n")
                .append("a=rtcp-fb:").append(pt).append(" ccm fir\r\n")
                .append("a=fmtp:").append(pt)
                .append(" level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n");
    }

    private static void audio(StringBuilder sb, String mid, int pt, String ufrag, String pwd, String fingerprint,
                              String setup, InetSocketAddress local) {
        sb.append("m=audio ").append(local.getPort()).append(" UDP/TLS/RTP/SAVPF ").append(pt).append("\r\n");
        transport(sb, mid, ufrag, pwd, fingerprint, setup, local);
        sb.append("a=recvonly\r\n")
                .append("a=rtcp-mux\r\n")
                .append("a=rtpmap:").append(pt).append(" opus/48000/2\r\n")
                .append("a=fmtp:").append(pt).append(" minptime=10;useinbandfec=1\r\n");
    }
}
