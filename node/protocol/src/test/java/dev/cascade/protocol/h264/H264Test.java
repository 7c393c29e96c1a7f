package dev.cascade.protocol.h264;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class H264Test {
    record Escape(String name, String rbsp, String escaped) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** 7.4.1: RBSP on the left, NAL unit payload on the right; drives both directions. */
    static Stream<Escape> escapes() {
        return Stream.of(
                new Escape("nothing to escape", "6742c00d", "6742c00d"),
                new Escape("start code", "000001", "00000301"),
                new Escape("three zeros", "000000", "00000300"),
                new Escape("zero zero two", "000002", "00000302"),
                new Escape("an RBSP 0x000003 itself", "000003", "00000303"),
                new Escape("zero zero four needs nothing", "00000400", "00000400"),
                new Escape("five zeros", "0000000000", "00000300000300"),
                new Escape("cabac_zero_word at the end", "aa0000", "aa000003"),
                new Escape("empty", "", ""),
                new Escape("x264 SPS 1920x1080", "640028acd940780227e5c04400000004000000f03c60c658",
                        "640028acd940780227e5c044000003000400000300f03c60c658"));
    }

    static Stream<Escape> escapeSource() {
        return escapes();
    }

    @ParameterizedTest
    @MethodSource("escapeSource")
    void escapes(Escape e) {
        assertThat(hex(H264.escapeRbsp(bytes(e.rbsp)))).isEqualTo(e.escaped);
    }

    @ParameterizedTest
    @MethodSource("escapeSource")
    void unescapes(Escape e) {
        ByteBuffer b = ByteBuffer.wrap(bytes("ff" + e.escaped + "ff"));
        b.position(1).limit(b.limit() - 1);
        assertThat(hex(H264.unescapeRbsp(b))).isEqualTo(e.rbsp);
    }

    @Test
    void nalTypes() {
        assertThat(H264.nalType(0x67)).isEqualTo(H264.NAL_SPS);
        assertThat(H264.nalType(0x68)).isEqualTo(H264.NAL_PPS);
        assertThat(H264.nalType(0x65)).isEqualTo(H264.NAL_IDR);
        assertThat(H264.nalType(0x41)).isEqualTo(H264.NAL_SLICE);
        assertThat(H264.nalType(0x06)).isEqualTo(H264.NAL_SEI);
        assertThat(H264.nalType(0x09)).isEqualTo(H264.NAL_AUD);
        assertThat(H264.nalType((byte) 0xE5)).isEqualTo(5); // a sign-extended byte works too
        assertThat(H264.isVcl(5)).isTrue();
        assertThat(H264.isVcl(6)).isFalse();
    }

    record Split(String name, String au, List<String> nals) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Split> splits() {
        return Stream.of(
                new Split("4-byte then 3-byte start codes", "00000001 0910 00000167 64 000001 68ee 000001 6588",
                        List.of("0910", "6764", "68ee", "6588")),
                new Split("trailing zeros and an escaped start code stay inside", "000001 41000003 01 0000 00000001 41aa",
                        List.of("4100000301", "41aa")),
                new Split("leading garbage and empty NAL units", "ffee 000001 000001 0000000001 6501",
                        List.of("6501")),
                new Split("start code at the very end", "000001 65 000001", List.of("65")),
                new Split("no start code", "6588aabbcc", List.of()),
                new Split("empty", "", List.of()),
                new Split("byte 0x01 alone is no start code", "000001 65 01 00 01 0001", List.of("65010001000 1")));
    }

    static Stream<Split> splitSource() {
        return splits();
    }

    @ParameterizedTest
    @MethodSource("splitSource")
    void splitsAnnexB(Split s) {
        byte[] au = bytes(s.au);
        ByteBuffer b = ByteBuffer.allocate(au.length + 4);
        b.position(2);
        b.put(au);
        b.flip().position(2);
        List<ByteBuffer> nals = H264.splitAnnexB(b);
        assertThat(nals).extracting(dev.cascade.protocol.Hex::hex)
                .containsExactlyElementsOf(s.nals.stream().map(x -> x.replace(" ", "")).toList());
        assertThat(b.position()).isEqualTo(2);
    }

    @Test
    void splitSlicesShareTheInput() {
        byte[] au = bytes("00000001 6588");
        List<ByteBuffer> nals = H264.splitAnnexB(ByteBuffer.wrap(au));
        au[5] = 0x77;
        assertThat(nals.get(0).get(1)).isEqualTo((byte) 0x77);
    }
}
