package dev.cascade.protocol.rtcp;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RtcpTest {
    /**
     * @param canonical whether encoding the value gives {@code hex} back (false when the input has
     *                  padding, which the encoder never writes)
     */
    record Golden(String name, String hex, List<RtcpPacket> value, boolean canonical) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final int FF = 0x902f9e2e;

    /**
     * Captured packets where we have them: pion/rtcp's packet_test.go "realPacket" (a Firefox
     * compound packet from a dump), the Chrome SR+SDES of pion issue #447, the Chrome REMB pion
     * records as "real data sent by Chrome while watching a 6Mb/s stream", mediasoup's REMB test
     * vector, and a Chrome transport-cc packet from olivermichel/webrtc-analysis. The rest are built
     * by hand from the RFC 3550 6.4-6.6, RFC 4585 6.2.1/6.3.1 and RFC 5104 4.3.1 diagrams.
     */
    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("Firefox RR + SDES + BYE + PLI + RRR + APP (pion realPacket)", ""
                        + "81c90007 902f9e2e bc5e9a40 00000000 000046e1 00000111 09f36432 00024a79"
                        + "81ca000c 902f9e2e 0126 7b39633030656239322d316166622d396434392d613437642d3931663634656565363966357d"
                        + "00000000"
                        + "81cb0001 902f9e2e"
                        + "81ce0002 902f9e2e 902f9e2e"
                        + "85cd0002 902f9e2e 902f9e2e"
                        + "80cc0003 4baae1ab 4e414d45 41424344",
                        List.of(new ReceiverReport(FF, List.of(new ReportBlock(0xbc5e9a40, 0, 0, 0x46e1, 273, 0x09f36432,
                                        150137))),
                                SourceDescription.cname(FF, "{9c00eb92-1afb-9d49-a47d-91f64eee69f5}"),
                                Bye.of(FF),
                                new Pli(FF, FF),
                                new RtcpPacket.Unknown(Rtcp.PT_RTPFB, 5, bytes("902f9e2e902f9e2e")),
                                new RtcpPacket.Unknown(Rtcp.PT_APP, 0, bytes("4baae1ab4e414d4541424344"))), true),
                new Golden("Chrome SR without blocks + SDES CNAME (pion issue #447)", ""
                        + "80c80006 2b7ec0c5 e020a2a9 52a53fc0 2e48a552 00000046 0000121d"
                        + "81ca0006 2b7ec0c5 0110 4c6349667a586f6e446f726453655736 0000",
                        List.of(new SenderReport(0x2b7ec0c5, 0xe020a2a952a53fc0L, 0x2e48a552, 70, 4637, List.of()),
                                SourceDescription.cname(0x2b7ec0c5, "LcIfzXonDordSeW6")), true),
                new Golden("Chrome REMB, 8.9 Mbit/s (pion)", "8fce0005 00000001 00000000 52454d42 011a20df 4874ed16",
                        List.of(new Remb(1, 6, 139487, List.of(0x4874ed16))), true),
                new Golden("REMB with two SSRCs (mediasoup)", "8fce0006 fa17fa17 00000000 52454d42 0201df82 02d03702 04a76747",
                        List.of(new Remb(0xfa17fa17, 0, 122754, List.of(0x02d03702, 0x04a76747))), true),
                new Golden("generic NACK (pion)", "81cd0003 902f9e2e 902f9e2e aaaa5555",
                        List.of(new Nack(FF, FF, List.of(new Nack.Pair(0xaaaa, 0x5555)))), true),
                new Golden("generic NACK with two FCI entries", "81cd0004 00000001 4874ed16 00644011 01f40003",
                        List.of(new Nack(1, 0x4874ed16, List.of(new Nack.Pair(100, 0x4011), new Nack.Pair(500, 3)))),
                        true),
                new Golden("FIR with two entries (pion)", "84ce0006 00000000 4bc4fcb4 12345678 42000000 98765432 57000000",
                        List.of(new Fir(0, 0x4bc4fcb4, List.of(new Fir.Entry(0x12345678, 0x42),
                                new Fir.Entry(0x98765432, 0x57)))), true),
                new Golden("reduced-size PLI", "81ce0002 00000001 4874ed16", List.of(new Pli(1, 0x4874ed16)), true),
                new Golden("SR with one report block, negative cumulative loss", ""
                        + "81c8000c 902f9e2e da8bd1fc dddda05a aaf4edd5 00000001 00000002"
                        + "bc5e9a40 19fffffe 000146e1 00000111 09f36432 00024a79",
                        List.of(new SenderReport(FF, 0xda8bd1fcdddda05aL, 0xaaf4edd5, 1, 2, List.of(
                                new ReportBlock(0xbc5e9a40, 0x19, -2, 0x146e1, 273, 0x09f36432, 150137)))), true),
                new Golden("empty RR", "80c90001 00000001", List.of(new ReceiverReport(1, List.of())), true),
                new Golden("BYE with a reason", "81cb0003 12345678 07676f6f64627965",
                        List.of(new Bye(List.of(0x12345678), "goodbye")), true),
                new Golden("Chrome transport-cc with padding (webrtc-analysis)",
                        "afcd0007 00000001 dd586eb6 00010009 5e911000 20091c0c 2c380004 00081801",
                        List.of(new RtcpPacket.Unknown(Rtcp.PT_RTPFB, 15,
                                bytes("00000001dd586eb6000100095e91100020091c0c2c380004000818 00"))), false));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        ByteBuffer b = ByteBuffer.wrap(bytes("ffff" + g.hex + "ee"));
        b.position(2).limit(b.capacity() - 1);
        assertThat(Rtcp.parseCompound(b)).isEqualTo(g.value);
        assertThat(b.position()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void encodes(Golden g) {
        byte[] out = Rtcp.encode(g.value);
        assertThat(out).hasSize(Rtcp.encodedSize(g.value));
        if (g.canonical) {
            assertThat(hex(out)).isEqualTo(g.hex.replace(" ", ""));
        } else {
            assertThat(Rtcp.parseCompound(ByteBuffer.wrap(out))).isEqualTo(g.value);
        }
    }

    @Test
    void typedViews() {
        Remb remb = new Remb(1, 6, 139487, List.of(0x4874ed16));
        assertThat(remb.bitrate()).isEqualTo(8_927_168L);
        SourceDescription sdes = SourceDescription.cname(7, "x");
        assertThat(sdes.cname(7)).hasValue("x");
        assertThat(sdes.cname(8)).isEmpty();
        assertThat(new Pli(1, 2).packetType()).isEqualTo(206);
        assertThat(new Nack(1, 2, List.of(new Nack.Pair(1, 0))).packetType()).isEqualTo(205);
        assertThat(Fir.of(1, 2, 300)).isEqualTo(new Fir(1, 0, List.of(new Fir.Entry(2, 44))));
    }

    @Test
    void isRtcp() {
        assertThat(Rtcp.isRtcp(ByteBuffer.wrap(bytes("81c90001 00000001")), 0, 8)).isTrue();
        assertThat(Rtcp.isRtcp(ByteBuffer.wrap(bytes("80df0000")), 0, 4)).isTrue();
        assertThat(Rtcp.isRtcp(ByteBuffer.wrap(bytes("80e00000")), 0, 4)).isFalse(); // RTP PT 96 + marker
        assertThat(Rtcp.isRtcp(ByteBuffer.wrap(bytes("40c90001")), 0, 4)).isFalse(); // version 1
        assertThat(Rtcp.isRtcp(ByteBuffer.wrap(bytes("81c9")), 0, 2)).isFalse();
    }

    @Test
    void rejectsMalformed() {
        String[] bad = {
            "",
            "81c900",                                        // header truncated
            "41c90001 00000001",                             // version 1
            "80600001 00000001",                             // PT 96: RTP, not RTCP
            "81c90007 00000001",                             // length beyond the datagram
            "80c90001 00000001 81",                          // trailing partial header
            "a0c90002 00000001 00000004 80c90001 00000001",  // padding on a packet that is not last
            "a0c90002 00000001 00000000",                    // padding count 0
            "a0c90001 00000009",                             // padding count larger than the packet
            "80c80001 00000001",                             // SR without sender info
            "81c90001 00000001",                             // RR claims a block it lacks
            "81ca0002 00000001 010161",                      // SDES item without END (2 words)
            "81ca0002 00000001 01056100",                    // SDES item overruns the packet
            "81ca0002 00000001 01026100",                    // SDES END missing
            "81ca0002 00000001 0101ff00",                    // SDES text not UTF-8
            "81ca0003 00000001 01026162 00ff0000",           // SDES padding not zero
            "81cb0000",                                      // BYE source missing
            "81cb0002 00000001 05616200",                    // BYE reason overruns
            "81cd0002 00000001 00000002",                    // NACK without FCI
            "81cd0001 00000001",                             // feedback without the media SSRC
            "81ce0003 00000001 00000002 00000000",           // PLI with FCI
            "84ce0003 00000000 00000002 00000003",           // FIR entry cut in half
            "84ce0002 00000000 00000002",                    // FIR without entries
            "8fce0005 00000001 00000000 52454d42 02000001 00000001", // REMB says 2 SSRCs, has 1
            "8fce0003 00000001 00000000 52454d42",           // REMB without the bitrate word
        };
        for (String hex : bad) {
            assertThatThrownBy(() -> Rtcp.parseCompound(ByteBuffer.wrap(bytes(hex))), "%s", hex)
                    .isInstanceOf(RtcpParseException.class);
        }
    }

    @Test
    void unknownFeedbackFormatsAndApplicationLayerFeedbackOtherThanRembAreKept() {
        // PSFB FMT 15 whose FCI is not "REMB" (e.g. another AFB), RTPFB FMT 15 (transport-cc), XR.
        List<RtcpPacket> p = Rtcp.parseCompound(ByteBuffer.wrap(bytes(
                "8fce0003 00000001 00000000 41424344" + "8fcd0002 00000001 00000002" + "80cf0001 00000001")));
        assertThat(p).containsExactly(
                new RtcpPacket.Unknown(206, 15, bytes("000000010000000041424344")),
                new RtcpPacket.Unknown(205, 15, bytes("0000000100000002")),
                new RtcpPacket.Unknown(207, 0, bytes("00000001")));
    }
}
