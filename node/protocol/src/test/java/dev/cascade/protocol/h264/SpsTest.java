package dev.cascade.protocol.h264;

import static dev.cascade.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpsTest {
    record Golden(String name, String hex, Sps value) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** SPS NAL units written by x264 (FFmpeg 5.1, libx264 core 164), see resources/README.md. */
    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("x264 High 1280x720", "6764001facd9405005bb0110000003001000000303c0f1831960",
                        new Sps(100, 0, 31, 0, 1280, 720, 1, true)),
                new Golden("x264 High 1920x1080, coded 1088 and cropped",
                        "67640028acd940780227e5c044000003000400000300f03c60c658",
                        new Sps(100, 0, 40, 0, 1920, 1080, 1, true)),
                new Golden("x264 Constrained Baseline 320x240", "6742c00dd90141fb0110000003001000000303c0f142a480",
                        new Sps(66, 0xC0, 13, 0, 320, 240, 1, true)),
                new Golden("x264 High 4:4:4 Predictive 352x288", "67f4000d919b282c12d80880000003008000001e078a14cb",
                        new Sps(244, 0, 13, 0, 352, 288, 3, true)),
                new Golden("x264 High 320x240 from the sample TS",
                        "6764000dacd94141fb0110000003001000000303c0f1429960",
                        new Sps(100, 0, 13, 0, 320, 240, 1, true)));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        assertThat(Sps.parse(ByteBuffer.wrap(bytes(g.hex)))).isEqualTo(g.value);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void rejectsEveryTruncation(Golden g) {
        byte[] nal = bytes(g.hex);
        for (int n = 0; n < nal.length; n++) {
            try {
                // Only a cut inside the VUI, which is not read, can still parse.
                assertThat(Sps.parse(ByteBuffer.wrap(nal, 0, n))).as("prefix %d", n).isEqualTo(g.value);
            } catch (H264ParseException expected) {
                // the prefix lacks a field
            }
        }
        assertThatThrownBy(() -> Sps.parse(ByteBuffer.wrap(nal, 0, 6))).isInstanceOf(H264ParseException.class);
    }

    @Test
    void high422InterlacedWithScalingListsAndPocType1() {
        BitWriter w = new BitWriter().u(8, 122).u(8, 0).u(8, 30).ue(3)
                .ue(2) // chroma_format_idc 4:2:2
                .ue(2).ue(2).flag(false)
                .flag(true); // seq_scaling_matrix_present_flag
        w.flag(true).se(-8); // list 0: first delta makes nextScale 0 (use the default matrix), one code only
        w.flag(true);
        for (int j = 0; j < 16; j++) {
            w.se(j % 2 == 0 ? 3 : -3); // list 1: all 16 deltas
        }
        w.flag(false).flag(false).flag(false).flag(false); // lists 2-5 absent
        w.flag(true);
        for (int j = 0; j < 64; j++) {
            w.se(j % 3 - 1); // list 6 (8x8): 64 deltas
        }
        w.flag(false); // list 7 absent
        w.ue(4) // log2_max_frame_num_minus4
                .ue(1).flag(false).se(1 << 23).se(1 << 23).ue(3).se(1).se(-2).se(3) // poc type 1: long zero runs
                .ue(4).flag(false)
                .ue(44).ue(17) // 45 x 18 map units
                .flag(false).flag(true) // field coding, mb_adaptive_frame_field_flag
                .flag(true)
                .flag(true).ue(0).ue(4).ue(0).ue(2) // crop right 4, bottom 2 (units 2 and 2)
                .flag(false);
        byte[] nal = w.nal(0x67);
        assertThat(dev.cascade.protocol.Hex.hex(nal)).containsPattern("^(..)*000003"); // emulation prevention used
        assertThat(Sps.parse(ByteBuffer.wrap(nal))).isEqualTo(new Sps(122, 0, 30, 3, 712, 572, 2, false));
    }

    @Test
    void separateColourPlanesCropInLumaSamples() {
        BitWriter w = new BitWriter().u(8, 244).u(8, 0x10).u(8, 51).ue(31)
                .ue(3).flag(true) // 4:4:4 coded as three separate planes: ChromaArrayType 0
                .ue(0).ue(0).flag(true)
                .flag(true);
        for (int i = 0; i < 12; i++) {
            w.flag(i >= 6);
            if (i >= 6) {
                for (int j = 0; j < 64; j++) {
                    w.se(1);
                }
            }
        }
        w.ue(0).ue(2) // poc type 2
                .ue(1).flag(true)
                .ue(19).ue(14) // 320 x 240
                .flag(true).flag(false)
                .flag(true).ue(1).ue(2).ue(3).ue(4)
                .flag(true).u(8, 0xAB); // VUI present (not parsed)
        assertThat(Sps.parse(ByteBuffer.wrap(w.nal(0x27)))).isEqualTo(new Sps(244, 0x10, 51, 31, 317, 233, 3, true));
    }

    @Test
    void monochromeCropsInSingleSamples() {
        BitWriter w = new BitWriter().u(8, 100).u(8, 0).u(8, 30).ue(0)
                .ue(0).ue(0).ue(0).flag(false).flag(false) // 4:0:0
                .ue(0).ue(0).ue(0).ue(1).flag(false)
                .ue(9).ue(9).flag(true).flag(true)
                .flag(true).ue(1).ue(0).ue(0).ue(3)
                .flag(false);
        assertThat(Sps.parse(ByteBuffer.wrap(w.nal(0x67)))).isEqualTo(new Sps(100, 0, 30, 0, 159, 157, 0, true));
    }

    @Test
    void rejectsMalformed() {
        assertThatThrownBy(() -> Sps.parse(ByteBuffer.wrap(bytes("68ebe3cb22c0")))).isInstanceOf(H264ParseException.class)
                .hasMessageContaining("not an SPS");
        assertThatThrownBy(() -> Sps.parse(ByteBuffer.wrap(bytes("e764001f")))) // forbidden_zero_bit
                .isInstanceOf(H264ParseException.class);
        // chroma_format_idc 4
        byte[] chroma4 = new BitWriter().u(8, 100).u(8, 0).u(8, 30).ue(0).ue(4).nal(0x67);
        assertThatThrownBy(() -> Sps.parse(ByteBuffer.wrap(chroma4))).hasMessageContaining("chroma_format_idc");
        // An Exp-Golomb code longer than 32 bits.
        assertThatThrownBy(() -> Sps.parse(ByteBuffer.wrap(bytes("6742c00d000000000080"))))
                .isInstanceOf(H264ParseException.class);
        // Cropping away the whole picture.
        byte[] cropAll = new BitWriter().u(8, 66).u(8, 0).u(8, 30).ue(0).ue(0).ue(0).ue(1).ue(1).flag(false)
                .ue(0).ue(0).flag(true).flag(true).flag(true).ue(4).ue(4).ue(0).ue(0).flag(false).nal(0x67);
        assertThatThrownBy(() -> Sps.parse(ByteBuffer.wrap(cropAll))).hasMessageContaining("cropping");
    }
}
