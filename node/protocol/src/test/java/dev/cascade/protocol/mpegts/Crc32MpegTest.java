package dev.cascade.protocol.mpegts;

import static dev.cascade.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Crc32MpegTest {
    @Test
    void checkValueOfTheCatalogue() {
        // CRC-32/MPEG-2 "check" in the CRC catalogue: the CRC of the ASCII string "123456789".
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(Crc32Mpeg.compute(ByteBuffer.wrap(data), 0, 9)).isEqualTo(0x0376E6E7);
        assertThat(Crc32Mpeg.compute(data, 0, 9)).isEqualTo(0x0376E6E7);
    }

    @Test
    void ffmpegPatCrcMatchesAndWholeSectionGivesZero() {
        byte[] pat = bytes("00b00d0001c100000001f000 2ab104b2");
        ByteBuffer b = ByteBuffer.wrap(pat);
        assertThat(Crc32Mpeg.compute(b, 0, pat.length - 4)).isEqualTo(0x2AB104B2);
        assertThat(Crc32Mpeg.compute(b, 0, pat.length)).isZero();
    }

    @Test
    void emptyRangeIsTheInitialValue() {
        assertThat(Crc32Mpeg.compute(new byte[0], 0, 0)).isEqualTo(0xFFFFFFFF);
    }

    @Test
    void absoluteRangeIgnoresPosition() {
        ByteBuffer b = ByteBuffer.wrap(bytes("ff313233343536373839ff"));
        b.position(5);
        assertThat(Crc32Mpeg.compute(b, 1, 10)).isEqualTo(0x0376E6E7);
    }
}
