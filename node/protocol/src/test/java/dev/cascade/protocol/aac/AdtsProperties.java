package dev.cascade.protocol.aac;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.Fuzz;
import dev.cascade.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class AdtsProperties {

    @Property(tries = 2000)
    void parseThrowsOnlyAdtsParseExceptionAndReencodes(@ForAll("inputs") byte[] input) {
        AdtsHeader h;
        try {
            h = AdtsHeader.parse(ByteBuffer.wrap(input), 0);
        } catch (AdtsParseException expected) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(h.encodedSize());
        h.encodeTo(out);
        assertThat(AdtsHeader.parse(out.flip(), 0)).isEqualTo(h);
    }

    @Property(tries = 2000)
    void splitThrowsOnlyAdtsParseException(@ForAll("inputs") byte[] input) {
        try {
            int total = AdtsHeader.splitFrames(ByteBuffer.wrap(input)).stream().mapToInt(ByteBuffer::remaining).sum();
            assertThat(total).isEqualTo(input.length);
        } catch (AdtsParseException expected) {
            // malformed
        }
    }

    @Property
    void canonicalHeadersRoundTripExactly(@ForAll("headers") AdtsHeader h) {
        ByteBuffer out = ByteBuffer.allocate(h.encodedSize());
        h.encodeTo(out);
        byte[] bytes = out.array();
        AdtsHeader back = AdtsHeader.parse(ByteBuffer.wrap(bytes), 0);
        assertThat(back).isEqualTo(h);
        ByteBuffer again = ByteBuffer.allocate(back.encodedSize());
        back.encodeTo(again);
        assertThat(again.array()).isEqualTo(bytes);
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Fuzz.bytesAndMutants(AdtsHeaderTest.golden().map(g -> Hex.bytes(g.hex())).collect(Collectors.toList()), 24);
    }

    @Provide
    Arbitrary<AdtsHeader> headers() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 12),
                Arbitraries.integers().between(0, 7), Arbitraries.integers().between(9, 0x1FFF), Arbitraries.of(true, false))
                .as(AdtsHeader::of);
    }
}
