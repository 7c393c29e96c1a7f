package dev.cascade.protocol.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SessionDescriptionTest {
    static final String ABS_SEND_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    static Stream<String> samples() {
        return SdpSamples.ALL.stream();
    }

    /** The offers are written back exactly, and parse -> write -> parse is stable. */
    @ParameterizedTest
    @MethodSource("samples")
    void writesBackWhatItParsed(String name) {
        String text = SdpSamples.load(name);
        SessionDescription sdp = SessionDescription.parse(text);
        assertThat(sdp.write()).isEqualTo(text);
        assertThat(SessionDescription.parse(sdp.write())).isEqualTo(sdp);
        // LF-only input parses to the same lines.
        assertThat(SessionDescription.parse(text.replace("\r\n", "\n"))).isEqualTo(sdp);
    }

    /** Models Chromium 120+ {@code addTransceiver('audio'|'video', {direction: 'recvonly'})} + createOffer(). */
    @Test
    void chromeWhepOffer() {
        SessionDescription sdp = SessionDescription.parse(SdpSamples.load(SdpSamples.WHEP_OFFER));
        assertThat(sdp.origin()).isEqualTo(new Origin("-", "4215775240449105457", "2", "IN", "IP4", "127.0.0.1"));
        assertThat(sdp.sessionName()).isEqualTo("-");
        assertThat(sdp.bundleMids()).containsExactly("0", "1");
        assertThat(sdp.iceLite()).isFalse();
        assertThat(sdp.hasAttribute("extmap-allow-mixed")).isTrue();
        assertThat(sdp.media()).extracting(MediaDescription::media).containsExactly("audio", "video");

        MediaDescription audio = sdp.media().get(0);
        assertThat(audio.mid()).hasValue("0");
        assertThat(audio.port()).isEqualTo(9);
        assertThat(audio.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
        assertThat(audio.payloadTypes()).containsExactly(111, 63, 9, 0, 8, 13, 110, 126);
        assertThat(audio.direction()).isEqualTo(Direction.RECVONLY);
        assertThat(sdp.direction(audio).reversed()).isEqualTo(Direction.SENDONLY);
        assertThat(audio.rtcpMux()).isTrue();
        assertThat(audio.rtcpReducedSize()).isTrue();
        assertThat(audio.iceUfrag()).hasValue("Xq4V");
        assertThat(sdp.icePwd(audio)).hasValue("8zK1mWf0rR6yT2pL9sB3nQ7e");
        Fingerprint fp = audio.fingerprint().orElseThrow();
        assertThat(fp.hashFunction()).isEqualTo("sha-256");
        assertThat(fp.bytes()).hasSize(32).startsWith((byte) 0xA5, (byte) 0x4D);
        assertThat(audio.setup()).hasValue(Setup.ACTPASS);
        assertThat(audio.rtpMap(111)).hasValue(new RtpMap(111, "opus", 48000, 2));
        assertThat(audio.fmtp(111).orElseThrow().parameterMap()).containsExactly(Map.entry("minptime", "10"),
                Map.entry("useinbandfec", "1"));
        assertThat(audio.fmtp(63).orElseThrow().parameterMap()).containsExactly(Map.entry("111/111", ""));
        assertThat(audio.rtcpFbs(111)).containsExactly(new RtcpFb(111, "transport-cc", null));
        assertThat(audio.extMapId(ABS_SEND_TIME)).hasValue(2);
        assertThat(audio.ssrcs()).isEmpty();
        assertThat(audio.candidates()).isEmpty();
        assertThat(audio.msids()).isEmpty();

        MediaDescription video = sdp.mediaByMid("1").orElseThrow();
        assertThat(video.payloadTypes()).hasSize(25).startsWith(96, 97, 102);
        assertThat(video.rtpMaps()).hasSize(25);
        assertThat(video.rtpMap(106)).hasValue(new RtpMap(106, "H264", 90000, 0));
        assertThat(video.fmtp(106).orElseThrow().parameter("profile-level-id")).isEqualTo("42e01f");
        assertThat(video.fmtp(106).orElseThrow().parameter("PACKETIZATION-MODE")).isEqualTo("1");
        assertThat(video.rtcpFbs(106)).extracting(RtcpFb::value).containsExactly("106 goog-remb",
                "106 transport-cc", "106 ccm fir", "106 nack", "106 nack pli");
        assertThat(video.rtxFor(106)).hasValue(107);
        assertThat(video.rtxFor(118)).isEmpty();
        assertThat(video.extMaps()).hasSize(11).first().isEqualTo(ExtMap.of(14, "urn:ietf:params:rtp-hdrext:toffset"));
        assertThat(video.extMapId(ABS_SEND_TIME)).hasValue(2);
        assertThat(video.direction()).isEqualTo(Direction.RECVONLY);
    }

    /** Models Chromium 120+ {@code addTransceiver(track, {direction: 'sendonly'})} after ICE gathering. */
    @Test
    void chromeWhipOffer() {
        SessionDescription sdp = SessionDescription.parse(SdpSamples.load(SdpSamples.WHIP_OFFER));
        assertThat(sdp.attribute("msid-semantic")).hasValue(" WMS d2a8c0e6-7c5a-4f1c-9a53-1e9e3b442f20");
        MediaDescription audio = sdp.media().get(0);
        MediaDescription video = sdp.media().get(1);
        assertThat(audio.port()).isEqualTo(54321);
        assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
        assertThat(audio.msids()).containsExactly(new Msid("d2a8c0e6-7c5a-4f1c-9a53-1e9e3b442f20",
                "5d2f0c9e-1c8a-4b7e-8f0d-3e6a9b2c4d11"));
        assertThat(audio.ssrcs()).containsExactly(new Ssrc(1392738115L, "cname", "Hq3Lz5wB0c2pV7xT"),
                new Ssrc(1392738115L, "msid", "d2a8c0e6-7c5a-4f1c-9a53-1e9e3b442f20 5d2f0c9e-1c8a-4b7e-8f0d-3e6a9b2c4d11"));
        assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(2471928374L, 3947163522L)));
        assertThat(video.ssrcs()).hasSize(4);
        List<Candidate> candidates = audio.candidates();
        assertThat(candidates).hasSize(4);
        Map<String, String> ext = new LinkedHashMap<>();
        ext.put("generation", "0");
        ext.put("network-id", "1");
        ext.put("network-cost", "10");
        assertThat(candidates.get(0)).isEqualTo(new Candidate("3376421986", 1, "udp", 2122260223L, "192.168.1.23",
                54321, "host", null, -1, ext));
        assertThat(candidates.get(1).address()).endsWith(".local");
        assertThat(candidates.get(2).isUdp()).isFalse();
        assertThat(candidates.get(2).extensions()).containsEntry("tcptype", "active");
        Candidate srflx = candidates.get(3);
        assertThat(srflx.type()).isEqualTo(Candidate.SRFLX);
        assertThat(srflx.relatedAddress()).isEqualTo("192.168.1.23");
        assertThat(srflx.relatedPort()).isEqualTo(54321);
        assertThat(candidates).allSatisfy(c -> assertThat(Candidate.parse(c.value())).isEqualTo(c));
        assertThat(video.candidates()).hasSize(4);
    }

    record Attr(String line, SdpAttribute value) {
        @Override
        public String toString() {
            return line;
        }
    }

    /** Typed attribute lines: the line decodes to the value and the value writes the line. */
    static Stream<Attr> attributes() {
        Map<String, String> gen = new LinkedHashMap<>();
        gen.put("generation", "0");
        return Stream.of(
                new Attr("a=rtpmap:111 opus/48000/2", new RtpMap(111, "opus", 48000, 2)),
                new Attr("a=rtpmap:102 H264/90000", new RtpMap(102, "H264", 90000, 0)),
                new Attr("a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                        new Fmtp("102", "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f")),
                new Attr("a=fmtp:97 apt=96", new Fmtp("97", "apt=96")),
                new Attr("a=rtcp-fb:96 nack pli", new RtcpFb(96, "nack", "pli")),
                new Attr("a=rtcp-fb:* trr-int 100", new RtcpFb(RtcpFb.ANY, "trr-int", "100")),
                new Attr("a=rtcp-fb:111 transport-cc", new RtcpFb(111, "transport-cc", null)),
                new Attr("a=extmap:2 " + ABS_SEND_TIME, ExtMap.of(2, ABS_SEND_TIME)),
                new Attr("a=extmap:3/recvonly urn:example:x attr1 attr2",
                        new ExtMap(3, Direction.RECVONLY, "urn:example:x", "attr1 attr2")),
                new Attr("a=fingerprint:sha-256 0A:FF", new Fingerprint("sha-256", "0A:FF")),
                new Attr("a=setup:passive", Setup.PASSIVE),
                new Attr("a=sendonly", Direction.SENDONLY),
                new Attr("a=inactive", Direction.INACTIVE),
                new Attr("a=ssrc:4294967295 cname:a:b", new Ssrc(4294967295L, "cname", "a:b")),
                new Attr("a=ssrc:1 foo", new Ssrc(1, "foo", null)),
                new Attr("a=ssrc-group:FID 1 2", new SsrcGroup("FID", List.of(1L, 2L))),
                new Attr("a=msid:- 5d2f", new Msid("-", "5d2f")),
                new Attr("a=msid:stream", new Msid("stream", null)),
                new Attr("a=group:BUNDLE 0 1 2", new Group("BUNDLE", List.of("0", "1", "2"))),
                new Attr("a=group:BUNDLE", new Group("BUNDLE", List.of())),
                new Attr("a=candidate:1 1 udp 2130706431 203.0.113.7 10100 typ host",
                        Candidate.host("1", 1, "udp", 2130706431L, "203.0.113.7", 10100)),
                new Attr("a=candidate:1 1 UDP 2130706431 2001:db8::7 10100 typ host generation 0",
                        new Candidate("1", 1, "UDP", 2130706431L, "2001:db8::7", 10100, "host", null, -1, gen)));
    }

    @ParameterizedTest
    @MethodSource("attributes")
    void attributeLines(Attr a) {
        assertThat(a.value.toLine().toString()).isEqualTo(a.line);
        SdpLine line = a.value.toLine();
        MediaDescription m = MediaDescription.builder("video", 9, "UDP/TLS/RTP/SAVPF", List.of("96")).line(line).build();
        SdpAttribute back = switch (line.attributeName()) {
            case RtpMap.NAME -> m.rtpMaps().get(0);
            case Fmtp.NAME -> m.fmtps().get(0);
            case RtcpFb.NAME -> m.rtcpFbs().get(0);
            case ExtMap.NAME -> m.extMaps().get(0);
            case Fingerprint.NAME -> m.fingerprint().orElseThrow();
            case Setup.NAME -> m.setup().orElseThrow();
            case Ssrc.NAME -> m.ssrcs().get(0);
            case SsrcGroup.NAME -> m.ssrcGroups().get(0);
            case Msid.NAME -> m.msids().get(0);
            case Group.NAME -> Group.parse(line.attributeValue());
            case Candidate.NAME -> m.candidates().get(0);
            default -> m.direction();
        };
        assertThat(back).isEqualTo(a.value);
    }

    @Test
    void candidateParsingAcceptsTrickleForms() {
        Candidate c = Candidate.host("1", 1, "udp", 2130706431L, "203.0.113.7", 10100);
        assertThat(Candidate.parse("candidate:1 1 udp 2130706431 203.0.113.7 10100 typ host")).isEqualTo(c);
        assertThat(Candidate.parse("a=candidate:1 1 udp 2130706431 203.0.113.7 10100 typ host")).isEqualTo(c);
        assertThat(Candidate.priority(126, 65535, 1)).isEqualTo(2130706431L);
        assertThat(c.isHost()).isTrue();
        assertThat(c.isUdp()).isTrue();
    }

    @Test
    void fingerprintHelpers() {
        Fingerprint f = Fingerprint.of("SHA-256", new byte[] {0x0a, (byte) 0xff});
        assertThat(f).isEqualTo(new Fingerprint("sha-256", "0a:ff"));
        assertThat(f.value()).isEqualTo("sha-256 0A:FF");
        assertThat(f.bytes()).containsExactly(0x0a, 0xff);
    }

    @Test
    void sessionLevelAttributesAreTheFallback() {
        SessionDescription sdp = SessionDescription.parse(String.join("\r\n",
                "v=0", "o=- 1 1 IN IP4 0.0.0.0", "s=-", "t=0 0", "a=ice-lite", "a=ice-ufrag:sess",
                "a=ice-pwd:sesspwd", "a=fingerprint:sha-1 AA:BB", "a=setup:passive", "a=sendonly",
                "m=audio 9 RTP/AVP 0", "a=mid:a",
                "m=video 9 RTP/AVP 96", "a=mid:v", "a=ice-ufrag:own", "a=inactive", "a=setup:active", ""));
        MediaDescription audio = sdp.media().get(0);
        MediaDescription video = sdp.media().get(1);
        assertThat(sdp.iceLite()).isTrue();
        assertThat(sdp.iceUfrag(audio)).hasValue("sess");
        assertThat(sdp.iceUfrag(video)).hasValue("own");
        assertThat(sdp.icePwd(video)).hasValue("sesspwd");
        assertThat(sdp.fingerprint(video)).hasValue(new Fingerprint("sha-1", "AA:BB"));
        assertThat(sdp.setup(audio)).hasValue(Setup.PASSIVE);
        assertThat(sdp.setup(video)).hasValue(Setup.ACTIVE);
        assertThat(sdp.direction(audio)).isEqualTo(Direction.SENDONLY);
        assertThat(sdp.direction(video)).isEqualTo(Direction.INACTIVE);
        assertThat(audio.direction()).isEqualTo(Direction.SENDRECV);
        assertThat(sdp.mediaByMid("x")).isEmpty();
    }

    /** A WHEP answer as the edge would build it, with the builders and typed attributes. */
    @Test
    void buildsAnAnswer() {
        SessionDescription offer = SessionDescription.parse(SdpSamples.load(SdpSamples.WHEP_OFFER));
        MediaDescription offeredVideo = offer.media().get(1);
        H264Profiles.Match h264 = H264Profiles.choose(offeredVideo, "42e01f").orElseThrow();
        Map<String, String> fmtp = new LinkedHashMap<>();
        fmtp.put("level-asymmetry-allowed", "1");
        fmtp.put("packetization-mode", "1");
        fmtp.put("profile-level-id", "42e01f");
        MediaDescription video = MediaDescription.builder("video", 10100, "UDP/TLS/RTP/SAVPF",
                        List.of(Integer.toString(h264.payloadType())))
                .line('c', "IN IP4 203.0.113.7")
                .attribute("mid", offeredVideo.mid().orElseThrow())
                .attribute("ice-ufrag", "edge")
                .attribute("ice-pwd", "edgepasswordedgepassword")
                .add(Fingerprint.of("sha-256", new byte[32]))
                .add(Setup.PASSIVE)
                .add(offer.direction(offeredVideo).reversed())
                .flag("rtcp-mux")
                .add(ExtMap.of(offeredVideo.extMapId(ABS_SEND_TIME).orElseThrow(), ABS_SEND_TIME))
                .add(new RtpMap(h264.payloadType(), "H264", 90000, 0))
                .add(new RtcpFb(h264.payloadType(), "goog-remb", null))
                .add(new RtcpFb(h264.payloadType(), "nack", "pli"))
                .add(Fmtp.of(h264.payloadType(), fmtp))
                .add(new Ssrc(0x12345678L, "cname", "cascade"))
                .add(Candidate.host("1", 1, "udp", Candidate.priority(126, 65535, 1), "203.0.113.7", 10100))
                .build();
        SessionDescription answer = SessionDescription.builder()
                .line('v', "0")
                .line(new Origin("-", "1", "1", "IN", "IP4", "0.0.0.0").toLine())
                .line('s', "-")
                .line('t', "0 0")
                .flag("ice-lite")
                .add(new Group(Group.BUNDLE, List.of("1")))
                .media(video)
                .build();
        String text = answer.write();
        assertThat(text).contains("m=video 10100 UDP/TLS/RTP/SAVPF 106\r\n", "a=sendonly\r\n",
                "a=fmtp:106 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f\r\n",
                "a=candidate:1 1 udp 2130706431 203.0.113.7 10100 typ host\r\n", "a=extmap:2 " + ABS_SEND_TIME);
        assertThat(SessionDescription.parse(text)).isEqualTo(answer);
    }

    record Bad(String sdp, int line, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    static final String HEAD = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";

    static Stream<Bad> malformed() {
        return Stream.of(
                new Bad("", 0, "empty SDP body"),
                new Bad("\r\n\r\n", 0, "empty SDP body"),
                new Bad("o=- 1 1 IN IP4 0.0.0.0\r\n", 1, "must start with v=0"),
                new Bad("v=1\r\n", 1, "must start with v=0"),
                new Bad("v=0\r\ns=-\r\n", 0, "without an o= line"),
                new Bad("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\n", 0, "without an s= line"),
                new Bad(HEAD + "garbage\r\n", 5, "not a <type>=<value> line"),
                new Bad(HEAD + "A=b\r\n", 5, "not a lowercase letter"),
                new Bad(HEAD + "a=x\rb\r\n", 5, "CR or NUL"),
                new Bad("v=0\r\no=- x 1 IN IP4 0.0.0.0\r\ns=-\r\n", 2, "sess-id"),
                new Bad("v=0\r\no=- 1 1 IN IP4\r\ns=-\r\n", 2, "o= needs 6 fields"),
                new Bad(HEAD + "m=video 9 UDP/TLS/RTP/SAVPF\r\n", 5, "m= needs"),
                new Bad(HEAD + "m=video 70000 RTP/AVP 96\r\n", 5, "m= port 70000"),
                new Bad(HEAD + "m=video x RTP/AVP 96\r\n", 5, "m= port 'x'"),
                new Bad(HEAD + "m=video 9/0 RTP/AVP 96\r\n", 5, "number of ports"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=rtpmap:96 H264\r\n", 6, "rtpmap encoding"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=rtpmap:300 H264/90000\r\n", 6, "payload type 300"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=rtpmap:96 H264/0\r\n", 6, "clock rate 0"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=rtpmap\r\n", 6, "rtpmap needs a value"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=rtcp-fb:96\r\n", 6, "rtcp-fb needs"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=extmap:0 urn:x\r\n", 6, "extmap id 0"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=extmap:1/sideways urn:x\r\n", 6, "direction 'sideways'"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=fingerprint:sha-256 XY:00\r\n", 6, "colon-separated hex"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=fingerprint:sha-256\r\n", 6, "fingerprint needs"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=setup:maybe\r\n", 6, "setup 'maybe'"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=ssrc:4294967296 cname:x\r\n", 6, "ssrc id 4294967296"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=ssrc:1\r\n", 6, "ssrc needs"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=ssrc-group:FID\r\n", 6, "ssrc-group needs"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=msid:a b c\r\n", 6, "msid needs"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=mid:\r\n", 6, "mid missing"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=ice-ufrag\r\n", 6, "ice-ufrag needs a value"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=candidate:1 1 udp 1 1.2.3.4 99999 typ host\r\n", 6,
                        "candidate port 99999"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=candidate:1 1 udp 1 1.2.3.4 9 host\r\n", 6,
                        "candidate needs"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=candidate:1 1 udp 1 1.2.3.4 9 typ host generation\r\n", 6,
                        "without a value"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\na=candidate:1 1 udp 0 1.2.3.4 9 typ host\r\n", 6,
                        "candidate priority 0"),
                new Bad(HEAD + "m=video 9 RTP/AVP 96\r\no=- 1 1 IN IP4 0.0.0.0\r\n", 6, "o= inside a media section"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void rejectsWithLineNumberAndContent(Bad b) {
        assertThatThrownBy(() -> SessionDescription.parse(b.sdp))
                .isInstanceOfSatisfying(SdpParseException.class, e -> {
                    assertThat(e.lineNumber()).isEqualTo(b.line);
                    assertThat(e.getMessage()).contains(b.message);
                    if (b.line > 0) {
                        String line = b.sdp.split("\r\n", -1)[b.line - 1].replace("\r", "\\u000d");
                        assertThat(e.getMessage()).startsWith("SDP line " + b.line + " \"" + line + "\": ");
                    }
                });
    }

    @Test
    void longLinesAreQuotedShort() {
        String junk = "x".repeat(500);
        assertThatThrownBy(() -> SessionDescription.parse(HEAD + "m=video 9 RTP/AVP 96\r\na=setup:" + junk + "\r\n"))
                .isInstanceOf(SdpParseException.class)
                .hasMessageStartingWith("SDP line 6 \"a=setup:xxx")
                .hasMessageContaining("...\"")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(800));
    }

    @Test
    void unknownLinesAndAttributesAreKept() {
        String text = HEAD + "x=whatever\r\na=custom:value with spaces\r\na=flag\r\nm=audio 0 RTP/AVP 0\r\nb=AS:64\r\n";
        SessionDescription sdp = SessionDescription.parse(text);
        assertThat(sdp.write()).isEqualTo(text);
        assertThat(sdp.attribute("custom")).hasValue("value with spaces");
        assertThat(sdp.attribute("flag")).isEmpty();
        assertThat(sdp.hasAttribute("flag")).isTrue();
        assertThat(sdp.media().get(0).isRejected()).isTrue();
        assertThat(sdp.media().get(0).lines()).containsExactly(SdpLine.of('b', "AS:64"));
    }
}
