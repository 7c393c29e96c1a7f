package dev.cascade.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class LocalDescriptionTest {
    private static final String FP = "AB:".repeat(31) + "AB";
    private final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 40000);

    @Test
    void ourOfferReadsBackAsWhatItAnnounces() {
        RemoteDescription d = RemoteDescription.parse(LocalDescription.offer("ufra", "pwdpwdpwdpwdpwdpwdpwdpwd", FP, local, true));
        assertThat(d.ufrag()).isEqualTo("ufra");
        assertThat(d.pwd()).isEqualTo("pwdpwdpwdpwdpwdpwdpwdpwd");
        assertThat(d.fingerprint()).isEqualTo(FP);
        assertThat(d.candidate()).isEqualTo(local);
        assertThat(d.videoPayloadType()).isEqualTo(102);
        assertThat(d.audioPayloadType()).isEqualTo(111);
    }

    @Test
    void anAnswerToAServersOfferKeepsItsPayloadTypesAndMidsAndTakesTheClientRole() {
        String offer = String.join("\r\n", "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=ice-lite",
                "a=group:BUNDLE v a d",
                "m=video 5000 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 127.0.0.1", "a=mid:v", "a=sendonly", "a=rtcp-mux",
                "a=ice-ufrag:srv1", "a=ice-pwd:serverpasswordserverpass", "a=fingerprint:sha-256 " + FP,
                "a=setup:actpass", "a=rtpmap:96 H264/90000", "a=extmap:2 " + LocalDescription.ABS_SEND_TIME,
                "a=candidate:1 1 udp 2013266431 127.0.0.1 5000 typ host",
                "m=audio 5000 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 127.0.0.1", "a=mid:a", "a=sendonly", "a=rtcp-mux",
                "a=rtpmap:111 opus/48000/2",
                "m=application 5000 UDP/DTLS/SCTP webrtc-datachannel", "c=IN IP4 127.0.0.1", "a=mid:d") + "\r\n";
        RemoteDescription remote = RemoteDescription.parse(offer);
        assertThat(remote.iceLite()).isTrue();
        assertThat(remote.candidate()).isEqualTo(new InetSocketAddress("127.0.0.1", 5000));
        String answer = LocalDescription.answer(remote, "cli1", "clientpasswordclientpass", FP, local);
        assertThat(answer).contains("a=group:BUNDLE v a d", "a=mid:v", "a=mid:a", "a=rtpmap:96 H264/90000",
                "a=rtpmap:111 opus/48000/2", "a=setup:active", "a=recvonly", "a=extmap:2 " + LocalDescription.ABS_SEND_TIME,
                "m=application 0 UDP/DTLS/SCTP webrtc-datachannel");
    }

    @Test
    void anSdpWithoutACandidateIsRefusedSayingSo() {
        String offer = LocalDescription.offer("ufra", "pwdpwdpwdpwdpwdpwdpwdpwd", FP, local, false)
                .replaceAll("a=candidate:[^\r]*\r\n", "");
        assertThatThrownBy(() -> RemoteDescription.parse(offer)).hasMessage("no UDP IPv4 candidate in the remote SDP");
    }
}
