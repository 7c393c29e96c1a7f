package dev.cascade.protocol.mpegts;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PatTest {
    record Golden(String name, String hex, Pat value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("ffmpeg mpegts muxer, one program", "00b00d0001c100000001f0002ab104b2",
                        new Pat(1, 0, List.of(new Pat.Program(1, 0x1000)))),
                new Golden("network PID, two programs, version 5",
                        "00b0151234cb00000000e0100001e100beeffffee7c04d8a",
                        new Pat(0x1234, 5, List.of(new Pat.Program(0, 0x10), new Pat.Program(1, 0x100),
                                new Pat.Program(0xBEEF, 0x1FFE)))),
                new Golden("no programs", "00b0090000c10000" + crc("00b0090000c10000"),
                        new Pat(0, 0, List.of())));
    }

    static String crc(String hex) {
        byte[] b = bytes(hex);
        return String.format("%08x", Crc32Mpeg.compute(b, 0, b.length));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        ByteBuffer b = ByteBuffer.allocate(bytes(g.hex).length + 7);
        b.put(bytes(g.hex)).put(bytes("ffffffffffffff")).flip(); // stuffing after the section
        assertThat(Pat.parse(b)).isEqualTo(g.value);
        assertThat(b.position()).isEqualTo(bytes(g.hex).length);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void encodes(Golden g) {
        ByteBuffer out = ByteBuffer.allocate(g.value.encodedSize());
        g.value.encodeTo(out);
        assertThat(out.hasRemaining()).isFalse();
        assertThat(hex(out.array())).isEqualTo(g.hex);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void rejectsEveryTruncation(Golden g) {
        byte[] full = bytes(g.hex);
        for (int n = 0; n < full.length; n++) {
            ByteBuffer b = ByteBuffer.wrap(full, 0, n);
            assertThatThrownBy(() -> Pat.parse(b)).isInstanceOf(TsParseException.class);
        }
    }

    @org.junit.jupiter.api.Test
    void rejectsCorruptionWithCrcMessage() {
        byte[] b = bytes("00b00d0001c100000001f0002ab104b2");
        b[9] ^= 1;
        assertThatThrownBy(() -> Pat.parse(ByteBuffer.wrap(b))).isInstanceOf(TsParseException.class)
                .hasMessage("PAT CRC mismatch");
    }

    @org.junit.jupiter.api.Test
    void rejectsOtherTablesAndBadLengths() {
        assertThatThrownBy(() -> Pat.parse(ByteBuffer.wrap(bytes("0200b00d")))).hasMessageContaining("table_id");
        // section_length 10 is not 5 + 4 * n + 4
        String odd = "00b00a0001c1000000";
        assertThatThrownBy(() -> Pat.parse(ByteBuffer.wrap(bytes(odd + "00" + crc(odd + "00")))))
                .isInstanceOf(TsParseException.class);
        // section_syntax_indicator 0
        assertThatThrownBy(() -> Pat.parse(ByteBuffer.wrap(bytes("00300d0001c100000001f0002ab104b2"))))
                .hasMessageContaining("section_syntax_indicator");
    }
}
