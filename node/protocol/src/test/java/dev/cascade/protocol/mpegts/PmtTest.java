package dev.cascade.protocol.mpegts;

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

class PmtTest {
    record Golden(String name, String hex, Pmt value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final byte[] NONE = new byte[0];
    static final byte[] OPUS_DESCRIPTORS = bytes("05044f707573 7f028001");

    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("ffmpeg H.264 + AAC", "02b0170001c10000e100f0001be100f0000fe101f0002f44b99b",
                        new Pmt(1, 0, 0x100, NONE, List.of(
                                new Pmt.ElementaryStream(StreamType.H264, 0x100, NONE),
                                new Pmt.ElementaryStream(StreamType.AAC_ADTS, 0x101, NONE)))),
                new Golden("ffmpeg Opus: registration 'Opus' + DVB extension descriptor",
                        "02b01c0001c10000e100f00006e100f00a05044f7075737f028001a8a19bf1",
                        new Pmt(1, 0, 0x100, NONE, List.of(
                                new Pmt.ElementaryStream(StreamType.PRIVATE_PES, 0x100, OPUS_DESCRIPTORS)))),
                new Golden("program info, no PCR PID, H.265 + private with ISO 639 descriptor",
                        "02b0230007c70000fffff00605044355454924e200f00006e201f0060a04656e67006b6324de",
                        new Pmt(7, 3, 0x1FFF, bytes("050443554549"), List.of(
                                new Pmt.ElementaryStream(StreamType.H265, 0x200, NONE),
                                new Pmt.ElementaryStream(StreamType.PRIVATE_PES, 0x201, bytes("0a04656e6700"))))));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        ByteBuffer b = ByteBuffer.allocate(200);
        b.put(bytes(g.hex)).put((byte) 0xFF).flip();
        assertThat(Pmt.parse(b)).isEqualTo(g.value);
        assertThat(b.remaining()).isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void encodes(Golden g) {
        ByteBuffer out = ByteBuffer.allocate(g.value.encodedSize());
        g.value.encodeTo(out);
        assertThat(hex(out.array())).isEqualTo(g.hex);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void rejectsEveryTruncation(Golden g) {
        byte[] full = bytes(g.hex);
        for (int n = 0; n < full.length; n++) {
            ByteBuffer b = ByteBuffer.wrap(full, 0, n);
            assertThatThrownBy(() -> Pmt.parse(b)).isInstanceOf(TsParseException.class);
        }
    }

    @Test
    void rejectsLoopOverrunEvenWithValidCrc() {
        // ES_info_length 0x00b claims one byte more than the section holds.
        String body = "02b01c0001c10000e100f00006e100f00b05044f7075737f028001";
        byte[] b = bytes(body);
        String crc = String.format("%08x", Crc32Mpeg.compute(b, 0, b.length));
        assertThatThrownBy(() -> Pmt.parse(ByteBuffer.wrap(bytes(body + crc))))
                .isInstanceOf(TsParseException.class).hasMessageContaining("ES_info_length");
    }

    @Test
    void valueSemanticsForByteArrays() {
        Pmt a = golden().skip(1).findFirst().orElseThrow().value;
        Pmt b = new Pmt(1, 0, 0x100, new byte[0], List.of(
                new Pmt.ElementaryStream(6, 0x100, bytes("05044f7075737f028001"))));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).contains("05044f7075737f028001");
        a.streams().get(0).descriptors()[0] = 0; // the accessor hands out a copy
        assertThat(a).isEqualTo(b);
    }

    @Test
    void streamTypesTellVideoFromAudio() {
        assertThat(StreamType.isVideo(StreamType.H264)).isTrue();
        assertThat(StreamType.isVideo(StreamType.H265)).isTrue();
        assertThat(StreamType.isVideo(StreamType.AAC_ADTS)).isFalse();
        assertThat(StreamType.isAudio(StreamType.AAC_ADTS, NONE)).isTrue();
        assertThat(StreamType.isAudio(StreamType.PRIVATE_PES, OPUS_DESCRIPTORS)).isTrue();
        assertThat(StreamType.isOpus(StreamType.PRIVATE_PES, OPUS_DESCRIPTORS)).isTrue();
        assertThat(StreamType.isAudio(StreamType.PRIVATE_PES, bytes("0a04656e6700"))).isFalse();
        assertThat(StreamType.isAudio(StreamType.PRIVATE_PES, null)).isFalse();
        assertThat(StreamType.isAudio(StreamType.PRIVATE_PES, bytes("05054f70"))).isFalse(); // overrun
        assertThat(StreamType.isAudio(StreamType.H264, NONE)).isFalse();
    }
}
