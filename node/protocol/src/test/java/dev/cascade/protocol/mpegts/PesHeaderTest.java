package dev.cascade.protocol.mpegts;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PesHeaderTest {
    record Golden(String name, String hex, PesHeader value) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Canonical headers: decode to the value and encode back to the same bytes. */
    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("ffmpeg H.264, PTS + DTS, unbounded", "000001e0000080c00a3100090741110007d861",
                        new PesHeader(0xE0, 0, 132000, 126000, 19)),
                new Golden("ffmpeg AAC, PTS only", "000001c00b3b808005210007f6ed",
                        new PesHeader(0xC0, 0x0B3B, 129910, -1, 14)),
                new Golden("ffmpeg Opus, private_stream_1", "000001bd040a808005210007d861",
                        new PesHeader(0xBD, 0x040A, 126000, -1, 14)),
                new Golden("largest 33-bit timestamps", "000001e0000080c00a3fffffffff1fffffdc23",
                        new PesHeader(0xE0, 0, (1L << 33) - 1, 8589930001L, 19)),
                new Golden("timestamp zero", "000001c000108080052100010001", new PesHeader(0xC0, 0x10, 0, -1, 14)),
                new Golden("no timestamps", "000001e00003800000", new PesHeader(0xE0, 3, -1, -1, 9)),
                new Golden("padding stream has no optional header", "000001be0004", new PesHeader(0xBE, 4, -1, -1, 6)));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        ByteBuffer b = ByteBuffer.allocate(40);
        b.position(7);
        b.put(bytes(g.hex));
        assertThat(PesHeader.parse(b, 7, bytes(g.hex).length)).isEqualTo(g.value);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void encodes(Golden g) {
        PesHeader h = g.value;
        ByteBuffer out = ByteBuffer.allocate(PesHeader.MAX_ENCODED_SIZE);
        int n = PesHeader.encode(out, h.streamId(), h.packetLength(), h.pts(), h.dts());
        assertThat(n).isEqualTo(h.headerLength()).isEqualTo(h.encodedSize())
                .isEqualTo(PesHeader.headerSize(h.streamId(), h.pts(), h.dts()));
        assertThat(hex(java.util.Arrays.copyOf(out.array(), n))).isEqualTo(g.hex);
    }

    @Test
    void dtsEqualToPtsIsWrittenAsPtsOnly() {
        ByteBuffer out = ByteBuffer.allocate(19);
        assertThat(PesHeader.encode(out, 0xC0, 0x10, 0, 0)).isEqualTo(14);
        assertThat(hex(java.util.Arrays.copyOf(out.array(), 14))).isEqualTo("000001c000108080052100010001");
    }

    @Test
    void stuffingBytesCountInHeaderLength() {
        // PES_header_data_length 10: a PTS and five stuffing bytes.
        ByteBuffer b = ByteBuffer.wrap(bytes("000001e0000080800a210001000 1ffffffffff"));
        assertThat(PesHeader.parse(b, 0, b.limit())).isEqualTo(new PesHeader(0xE0, 0, 0, -1, 19));
    }

    @Test
    void rejectsMalformed() {
        String[] bad = {
            "",
            "0000",                                  // truncated
            "000002e00000",                          // bad start code
            "000001010000",                          // stream_id below 0xBC (a video sequence start code)
            "000001e000008040",                      // truncated optional header
            "000001e000004080052100010001",          // '10' marker missing
            "000001e000008040052100010001",          // PTS_DTS_flags '01'
            "000001e0000080c00a3100090741",          // header data length beyond available bytes
            "000001e000048080052100010001",          // PES_packet_length shorter than the header
            "000001e00000808002ffff",                // PTS flagged but data length 2
        };
        for (String hex : bad) {
            ByteBuffer b = ByteBuffer.wrap(bytes(hex));
            assertThatThrownBy(() -> PesHeader.parse(b, 0, b.limit()), "%s", hex).isInstanceOf(TsParseException.class);
        }
        ByteBuffer small = ByteBuffer.wrap(bytes("000001be0004"));
        assertThatThrownBy(() -> PesHeader.parse(small, 1, 6)).isInstanceOf(TsParseException.class);
        assertThatThrownBy(() -> PesHeader.parse(small, -1, 6)).isInstanceOf(TsParseException.class);
    }
}
