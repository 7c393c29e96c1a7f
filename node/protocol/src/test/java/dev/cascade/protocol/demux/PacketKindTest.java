package dev.cascade.protocol.demux;

import static dev.cascade.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PacketKindTest {

    /** The RFC 7983 section 7 table, byte by byte. */
    @Test
    void everyFirstByte() {
        for (int b = 0; b < 256; b++) {
            PacketKind expected;
            if (b <= 3) {
                expected = PacketKind.STUN;
            } else if (b >= 16 && b <= 19) {
                expected = PacketKind.ZRTP;
            } else if (b >= 20 && b <= 63) {
                expected = PacketKind.DTLS;
            } else if (b >= 64 && b <= 79) {
                expected = PacketKind.TURN_CHANNEL;
            } else if (b >= 128 && b <= 191) {
                expected = PacketKind.RTP_OR_RTCP;
            } else {
                expected = PacketKind.UNKNOWN;
            }
            assertThat(PacketKind.classify(b)).as("byte %d", b).isEqualTo(expected);
            assertThat(PacketKind.classify((byte) b)).as("signed byte %d", b).isEqualTo(expected);
        }
    }

    /** RFC 5761 4: second byte 192..223 is an RTCP packet type. */
    @Test
    void secondByteSplitsRtpFromRtcp() {
        for (int second = 0; second < 256; second++) {
            PacketKind expected = second >= 192 && second <= 223 ? PacketKind.RTCP : PacketKind.RTP;
            assertThat(PacketKind.classify(0x80, second)).as("second byte %d", second).isEqualTo(expected);
            assertThat(PacketKind.classify((byte) 0x90, (byte) second)).isEqualTo(expected);
        }
        assertThat(PacketKind.classify(0x16, 0xc8)).isEqualTo(PacketKind.DTLS);
        assertThat(PacketKind.classify(0x00, 0x01)).isEqualTo(PacketKind.STUN);
    }

    record Datagram(String name, String hex, PacketKind kind) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Datagram> datagrams() {
        return Stream.of(
                new Datagram("STUN Binding request (RFC 5769)", "000100582112a442b7e7a701bc34d686fa87dfae", PacketKind.STUN),
                new Datagram("DTLS 1.2 ClientHello record", "16fefd000000000000000000", PacketKind.DTLS),
                new Datagram("DTLS application data", "17fefd0001000000000005", PacketKind.DTLS),
                new Datagram("TURN ChannelData 0x4000", "40000004deadbeef", PacketKind.TURN_CHANNEL),
                new Datagram("SRTP, PT 102", "90661234 00015f90 12345678", PacketKind.RTP),
                new Datagram("SRTP, marker + PT 111", "80ef0001 00000000 00000001", PacketKind.RTP),
                new Datagram("SRTCP receiver report", "81c90007 902f9e2e", PacketKind.RTCP),
                new Datagram("SRTCP REMB", "8fce0005 00000001", PacketKind.RTCP),
                new Datagram("RTP first byte alone", "80", PacketKind.UNKNOWN),
                new Datagram("empty", "", PacketKind.UNKNOWN),
                new Datagram("QUIC long header", "c0000000", PacketKind.UNKNOWN));
    }

    @ParameterizedTest
    @MethodSource("datagrams")
    void classifiesDatagrams(Datagram d) {
        byte[] b = bytes(d.hex);
        ByteBuffer buf = ByteBuffer.allocate(b.length + 3);
        buf.put(3, b);
        assertThat(PacketKind.classify(buf, 3, b.length)).isEqualTo(d.kind);
    }
}
