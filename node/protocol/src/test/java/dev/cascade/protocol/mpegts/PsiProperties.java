package dev.cascade.protocol.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.Fuzz;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PsiProperties {

    @Property(tries = 2000)
    void patParseThrowsOnlyTsParseExceptionAndReencodes(@ForAll("patInputs") byte[] input) {
        Pat pat;
        try {
            pat = Pat.parse(ByteBuffer.wrap(input));
        } catch (TsParseException expected) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(pat.encodedSize());
        pat.encodeTo(out);
        assertThat(Pat.parse(out.flip())).isEqualTo(pat);
    }

    @Property(tries = 2000)
    void pmtParseThrowsOnlyTsParseExceptionAndReencodes(@ForAll("pmtInputs") byte[] input) {
        Pmt pmt;
        try {
            pmt = Pmt.parse(ByteBuffer.wrap(input));
        } catch (TsParseException expected) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(pmt.encodedSize());
        pmt.encodeTo(out);
        assertThat(Pmt.parse(out.flip())).isEqualTo(pmt);
    }

    /** Canonical bytes (what encodeTo writes) survive decode + encode unchanged. */
    @Property(tries = 1000)
    void canonicalPmtBytesRoundTrip(@ForAll("pmts") Pmt pmt) {
        ByteBuffer out = ByteBuffer.allocate(pmt.encodedSize());
        pmt.encodeTo(out);
        byte[] bytes = out.array();
        Pmt back = Pmt.parse(ByteBuffer.wrap(bytes));
        assertThat(back).isEqualTo(pmt);
        ByteBuffer again = ByteBuffer.allocate(back.encodedSize());
        back.encodeTo(again);
        assertThat(again.array()).isEqualTo(bytes);
    }

    @Property(tries = 1000)
    void canonicalPatBytesRoundTrip(@ForAll("pats") Pat pat) {
        ByteBuffer out = ByteBuffer.allocate(pat.encodedSize());
        pat.encodeTo(out);
        Pat back = Pat.parse(ByteBuffer.wrap(out.array()));
        assertThat(back).isEqualTo(pat);
        ByteBuffer again = ByteBuffer.allocate(back.encodedSize());
        back.encodeTo(again);
        assertThat(again.array()).isEqualTo(out.array());
    }

    @Provide
    Arbitrary<byte[]> patInputs() {
        return withFixedCrc(Fuzz.bytesAndMutants(seeds(PatTest.golden().map(PatTest.Golden::hex)), 64));
    }

    @Provide
    Arbitrary<byte[]> pmtInputs() {
        return withFixedCrc(Fuzz.bytesAndMutants(seeds(PmtTest.golden().map(PmtTest.Golden::hex)), 64));
    }

    /** Half of the inputs get a CRC that matches their claimed section_length, to reach the loops. */
    private static Arbitrary<byte[]> withFixedCrc(Arbitrary<byte[]> inputs) {
        return Combinators.combine(inputs, Arbitraries.of(true, false)).as((b, fix) -> {
            if (fix && b.length >= 3) {
                int total = 3 + (((b[1] & 0x0F) << 8) | (b[2] & 0xFF));
                if (total >= 7 && total <= b.length) {
                    ByteBuffer.wrap(b).putInt(total - 4, Crc32Mpeg.compute(b, 0, total - 4));
                }
            }
            return b;
        });
    }

    private static List<byte[]> seeds(Stream<String> hex) {
        return hex.map(dev.cascade.protocol.Hex::bytes).collect(Collectors.toList());
    }

    @Provide
    Arbitrary<Pat> pats() {
        Arbitrary<Pat.Program> program = Combinators.combine(
                Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 0x1FFF))
                .as(Pat.Program::new);
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 31),
                program.list().ofMaxSize(Pat.MAX_PROGRAMS)).as(Pat::new);
    }

    @Provide
    Arbitrary<Pmt> pmts() {
        Arbitrary<byte[]> descriptors = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<Pmt.ElementaryStream> es = Combinators.combine(Arbitraries.integers().between(0, 0xFF),
                Arbitraries.integers().between(0, 0x1FFF), descriptors).as(Pmt.ElementaryStream::new);
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 31),
                Arbitraries.integers().between(0, 0x1FFF), descriptors, es.list().ofMaxSize(15)).as(Pmt::new);
    }
}
