package dev.cascade.node.webrtc;

/**
 * The parts every answer we write shares (WHEP and WHIP alike): session lines for an ICE-lite
 * server, and per media section the bundled transport (RFC 8843), ICE credentials, DTLS fingerprint
 * and role (we are always {@code setup:passive}, the DTLS server), rtcp-mux and our one host candidate.
 */
public final class SdpAnswerWriter {
    private final StringBuilder sb = new StringBuilder(2048);
    private final String ufrag;
    private final String pwd;
    private final String fingerprint;
    private final String ip;
    private final int port;

    public SdpAnswerWriter(WebRtcSession session, String fingerprint, String ip, int port) {
        this.ufrag = session.localUfrag();
        this.pwd = session.localPwd();
        this.fingerprint = fingerprint;
        this.ip = ip;
        this.port = port;
    }

    public SdpAnswerWriter session(java.util.List<String> bundleMids) {
        line("v=0");
        line("o=- " + Long.toUnsignedString(System.nanoTime()) + " 2 IN IP4 " + ip);
        line("s=Cascade");
        line("t=0 0");
        line("a=ice-lite");
        if (!bundleMids.isEmpty()) {
            line("a=group:BUNDLE " + String.join(" ", bundleMids));
        }
        line("a=msid-semantic: WMS cascade");
        return this;
    }

    /** Starts a media section: the m= line and the transport attributes. */
    public SdpAnswerWriter media(String kind, String formats, String mid) {
        line("m=" + kind + " " + port + " UDP/TLS/RTP/SAVPF " + formats);
        line("c=IN IP4 " + ip);
        line("a=mid:" + mid);
        line("a=ice-ufrag:" + ufrag);
        line("a=ice-pwd:" + pwd);
        line("a=fingerprint:sha-256 " + fingerprint);
        line("a=setup:passive");
        line("a=rtcp-mux");
        line("a=candidate:1 1 udp 2130706431 " + ip + " " + port + " typ host");
        line("a=end-of-candidates");
        return this;
    }

    public SdpAnswerWriter line(String s) {
        sb.append(s).append("\r\n");
        return this;
    }

    public String text() {
        return sb.toString();
    }
}
