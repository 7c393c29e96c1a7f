package dev.cascade.protocol.opus;

import static dev.cascade.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpusTocTest {
    record Golden(String name, int toc, OpusToc value, int frameMicros) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** RFC 6716 Table 2 corners; 0xF8 is what libopus wrote in the sample stream. */
    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("libopus CELT FB 20 ms mono", 0xF8, new OpusToc(31, false, 0), 20_000),
                new Golden("CELT FB 20 ms stereo", 0xFC, new OpusToc(31, true, 0), 20_000),
                new Golden("SILK NB 10 ms", 0x00, new OpusToc(0, false, 0), 10_000),
                new Golden("SILK NB 20 ms, code 3", 0x0B, new OpusToc(1, false, 3), 20_000),
                new Golden("SILK NB 60 ms, code 2", 0x1A, new OpusToc(3, false, 2), 60_000),
                new Golden("SILK WB 40 ms", 0x50, new OpusToc(10, false, 0), 40_000),
                new Golden("Hybrid SWB 10 ms", 0x60, new OpusToc(12, false, 0), 10_000),
                new Golden("Hybrid FB 20 ms", 0x78, new OpusToc(15, false, 0), 20_000),
                new Golden("CELT NB 2.5 ms stereo", 0x84, new OpusToc(16, true, 0), 2_500),
                new Golden("CELT NB 5 ms", 0x88, new OpusToc(17, false, 0), 5_000),
                new Golden("CELT WB 20 ms, code 1", 0x99, new OpusToc(19, false, 1), 20_000));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        assertThat(OpusToc.parse(g.toc)).isEqualTo(g.value);
        assertThat(OpusToc.parse((byte) g.toc)).isEqualTo(g.value); // a sign-extended byte works too
        assertThat(g.value.frameDurationMicros()).isEqualTo(g.frameMicros);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void encodes(Golden g) {
        assertThat(g.value.toByte()).isEqualTo(g.toc);
    }

    @Test
    void everyByteRoundTrips() {
        for (int b = 0; b < 256; b++) {
            assertThat(OpusToc.parse(b).toByte()).isEqualTo(b);
        }
    }

    record Count(String hex, int frames) {}

    @Test
    void frameCounts() {
        Count[] ok = {
            new Count("f8aabb", 1),
            new Count("f9aabb", 2),        // code 1: two frames of (3-1)/2 bytes
            new Count("fa01aabb", 2),
            new Count("fb03aabbcc", 3),    // code 3, 3 x 20 ms
            new Count("0b06", 6),          // 6 x 20 ms = 120 ms, the limit
            new Count("8330", 48),         // 48 x 2.5 ms = 120 ms
            new Count("fbc3aa", 3),        // VBR and padding bits do not change the count
        };
        for (Count c : ok) {
            ByteBuffer p = ByteBuffer.wrap(bytes(c.hex));
            assertThat(OpusToc.parse(p.get(0)).frameCount(p)).as(c.hex).isEqualTo(c.frames);
        }
        ByteBuffer p = ByteBuffer.wrap(bytes("fb03aabbcc"));
        assertThat(OpusToc.parse(0xFB).packetDurationMicros(p)).isEqualTo(60_000);
    }

    @Test
    void frameCountRejectsMalformed() {
        String[] bad = {
            "",        // R1: at least one byte
            "f9aa",    // R3: code 1 needs an even payload
            "fa",      // code 2 without the first frame's length
            "fb",      // code 3 without the count byte
            "fb00",    // code 3 with no frames
            "fb07",    // 7 x 20 ms = 140 ms > 120 ms
            "1b03",    // 3 x 60 ms
        };
        for (String hex : bad) {
            ByteBuffer p = ByteBuffer.wrap(bytes(hex));
            OpusToc toc = OpusToc.parse(hex.isEmpty() ? 0 : p.get(0));
            assertThatThrownBy(() -> toc.frameCount(p), "%s", hex).isInstanceOf(OpusParseException.class);
        }
    }
}
