package dev.cascade.node.egress.whep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.rtp.RtpPacket;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtpRewriteTest {

    @Test
    void paddingPacketGoldenBytes() {
        byte[] out = new byte[300];
        int n = RtpRewrite.padding(out, 102, 0x1234, 0x01020304, 0xCAFEBABE, 3, 0xABCDEF, 32);
        // V=2 P=1 X=1 | PT 102 | seq | ts | ssrc | 0xBEDE len 1 | id 3 len 2 (0x32) abs-send-time | 11 bytes padding, last = 12
        assertThat(HexFormat.of().formatHex(out, 0, n)).isEqualTo(
                "b066" + "1234" + "01020304" + "cafebabe" + "bede0001" + "32abcdef" + "0000000000000000000000" + "0c");
        assertThat(n).isEqualTo(32);
    }

    @Test
    void paddingParsesAsAnRtpPacketWithNoPayload() throws Exception {
        byte[] out = new byte[300];
        int n = RtpRewrite.padding(out, 96, 7, 9000, 42, 5, 1, 240);
        ByteBuffer b = ByteBuffer.wrap(out, 0, n);
        RtpPacket.checkHeader(b, 0, n);
        assertThat(RtpPacket.padding(b, 0)).isTrue();
        assertThat(RtpPacket.sequenceNumber(b, 0)).isEqualTo(7);
        assertThat(RtpPacket.timestamp(b, 0)).isEqualTo(9000);
        assertThat(RtpPacket.ssrc(b, 0)).isEqualTo(42);
        assertThat(RtpPacket.payloadLength(b, 0, n)).isZero();
        assertThat(RtpPacket.findExtension(b, 0, n, 5)).isGreaterThan(0);
        assertThat(n).isEqualTo(240);
    }

    @Test
    void paddingWithoutAbsSendTimeHasNoExtension() {
        byte[] out = new byte[300];
        int n = RtpRewrite.padding(out, 96, 1, 2, 3, -1, 0, 40);
        assertThat(out[0] & 0xFF).isEqualTo(0xA0);
        assertThat(n).isEqualTo(40);
        assertThat(out[n - 1]).isEqualTo((byte) 28);
    }

    @Test
    void stampWritesSeqTimestampAndSsrcBigEndian() {
        byte[] p = new byte[12];
        RtpRewrite.stamp(p, 0xFFFF, 0xFFFFFFFE, 0x7F000001);
        assertThat(HexFormat.of().formatHex(p, 2, 12)).isEqualTo("ffff" + "fffffffe" + "7f000001");
    }
}
