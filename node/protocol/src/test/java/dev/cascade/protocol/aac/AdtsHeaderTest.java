package dev.cascade.protocol.aac;

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

class AdtsHeaderTest {
    record Golden(String name, String hex, AdtsHeader value) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Canonical headers: decode to the value, encode back to the bytes. */
    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("ffmpeg AAC LC 44.1 kHz mono, 265 bytes", "fff15040213ffc",
                        new AdtsHeader(1, 4, 44100, 1, 265, 7, true)),
                new Golden("ffmpeg AAC LC 44.1 kHz mono, 153 bytes", "fff15040133ffc",
                        new AdtsHeader(1, 4, 44100, 1, 153, 7, true)),
                new Golden("Main 48 kHz stereo, longest frame, with CRC", "fff00c83fffffc0000",
                        new AdtsHeader(0, 3, 48000, 2, 0x1FFF, 9, false)),
                new Golden("7.35 kHz 7.1, header-only frame", "fff171c000fffc",
                        new AdtsHeader(1, 12, 7350, 7, 7, 7, true)));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        ByteBuffer b = ByteBuffer.wrap(bytes("aabb" + g.hex));
        assertThat(AdtsHeader.parse(b, 2)).isEqualTo(g.value);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void encodes(Golden g) {
        ByteBuffer out = ByteBuffer.allocate(g.value.encodedSize());
        g.value.encodeTo(out);
        assertThat(hex(out.array())).isEqualTo(g.hex);
    }

    @Test
    void mpeg2IdAndOtherNonCanonicalBitsDecodeToTheSameValue() {
        // ID 1 (MPEG-2), private/original/home/copyright bits set, buffer fullness 0x123, 2 raw blocks.
        ByteBuffer b = ByteBuffer.wrap(bytes("fff9527c21248e"));
        AdtsHeader h = AdtsHeader.parse(b, 0);
        assertThat(h).isEqualTo(new AdtsHeader(1, 4, 44100, 1, 265, 7, true));
        assertThat(h.audioObjectType()).isEqualTo(2);
    }

    @Test
    void splitsFrames() {
        ByteBuffer payload = ByteBuffer.wrap(bytes("ffff fff15040015ffc aabbcc fff171c000fffc fff1504001dffc 01020304050607"));
        payload.position(2);
        List<ByteBuffer> frames = AdtsHeader.splitFrames(payload);
        assertThat(frames).extracting(dev.cascade.protocol.Hex::hex)
                .containsExactly("fff15040015ffcaabbcc", "fff171c000fffc", "fff1504001dffc01020304050607");
        assertThat(payload.position()).isEqualTo(2);
        assertThat(AdtsHeader.splitFrames(ByteBuffer.allocate(0))).isEmpty();
    }

    @Test
    void rejectsMalformed() {
        String[] bad = {
            "",
            "fff15040213f",      // truncated header
            "fef15040213ffc",    // syncword
            "fff35040213ffc",    // layer 1
            "fff17440213ffc",    // sampling_frequency_index 13 (reserved)
            "fff17c40213ffc",    // sampling_frequency_index 15 (escape, not allowed)
            "fff1504000dffc",    // aac_frame_length 6, shorter than the header
            "fff0504002dffc00",  // protection present: the CRC is cut
        };
        for (String hex : bad) {
            assertThatThrownBy(() -> AdtsHeader.parse(ByteBuffer.wrap(bytes(hex)), 0), "%s", hex)
                    .isInstanceOf(AdtsParseException.class);
        }
        assertThatThrownBy(() -> AdtsHeader.parse(ByteBuffer.wrap(bytes("fff15040213ffc")), -1))
                .isInstanceOf(AdtsParseException.class);
        // A frame that claims more bytes than the payload holds.
        assertThatThrownBy(() -> AdtsHeader.splitFrames(ByteBuffer.wrap(bytes("fff15040015ffcaabb"))))
                .isInstanceOf(AdtsParseException.class).hasMessageContaining("cut short");
        // Junk after a whole frame.
        assertThatThrownBy(() -> AdtsHeader.splitFrames(ByteBuffer.wrap(bytes("fff171c000fffc00"))))
                .isInstanceOf(AdtsParseException.class);
    }
}
