package dev.cascade.manager.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Hash64Test {

    /**
     * Golden vectors. The FNV-1a values for "", "a" and "foobar" are the reference ones of the FNV
     * test suite (draft-eastlake-fnv); every value, including the fmix64 ones, was computed
     * independently of this code (a ten-line Python implementation of both functions). They pin the
     * ring: changing the hash would move every stream to another edge on upgrade.
     */
    record Golden(String input, long fnv1a64, long hash) {}

    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("", 0xcbf29ce484222325L, 0xefd01f60ba992926L),
                new Golden("a", 0xaf63dc4c8601ec8cL, 0x82a2a958a9bece5bL),
                new Golden("foobar", 0x85944171f73967e8L, 0x2c22194922d1672bL),
                new Golden("live/match1", 0xc71162f75b053d50L, 0x0ee9ba4774a7ee47L),
                new Golden("edge-1", 0xf1d7a8b4352bc316L, 0x4c844b4e075bb0c5L),
                // Two-, three- and four-byte UTF-8 (U+00E9, U+4E2D, U+1F600 as a surrogate pair).
                new Golden("\u00e9\u4e2d\ud83d\ude00", 0x999e16e0a41d96c5L, 0xb7b4d1f0a0a29182L));
    }

    @ParameterizedTest
    @MethodSource("golden")
    void stringHashesMatchGoldenVectors(Golden g) {
        assertThat(Hash64.fnv1a64(g.input())).isEqualTo(g.fnv1a64());
        assertThat(Hash64.hash(g.input())).isEqualTo(g.hash());
    }

    @ParameterizedTest
    @MethodSource("golden")
    void byteHashesMatchGoldenVectors(Golden g) {
        byte[] utf8 = g.input().getBytes(StandardCharsets.UTF_8);
        assertThat(Hash64.fnv1a64(utf8)).isEqualTo(g.fnv1a64());
        assertThat(Hash64.hash(utf8)).isEqualTo(g.hash());
    }

    @Test
    void fmix64GoldenValues() {
        assertThat(Hash64.fmix64(0)).isZero();
        assertThat(Hash64.fmix64(1)).isEqualTo(0xb456bcfc34c2cb2cL);
        assertThat(Hash64.fmix64(0xcbf29ce484222325L)).isEqualTo(0xefd01f60ba992926L);
    }

    @Test
    void unpairedSurrogatesHashLikeTheJdkEncodesThem() {
        for (String s : new String[] {"\ud83d", "x\ude00y", "\ude00\ud83d", "a\ud83d"}) {
            assertThat(Hash64.hash(s)).as(s).isEqualTo(Hash64.hash(s.getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void keysDifferingInTheLastCharacterLandFarApart() {
        // Why fmix64: raw FNV-1a of keys that differ only in their last character differ by a small
        // multiple of the FNV prime (about 2^44), so on the ring they would sit side by side and go
        // to the same node. After the finalizer they are as far apart as random values.
        for (int i = 1; i < 9; i++) {
            String a = "live/match" + i;
            String b = "live/match" + (i + 1);
            assertThat(Math.abs(Hash64.fnv1a64(a) - Hash64.fnv1a64(b))).as("raw " + a).isLessThan(1L << 48);
            assertThat(Math.abs(Hash64.hash(a) - Hash64.hash(b))).as("mixed " + a).isGreaterThan(1L << 48);
        }
    }
}
