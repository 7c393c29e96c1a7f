package dev.cascade.protocol.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TsMuxerProperties {

    @Property(tries = 200)
    void anyAccessUnitSequenceRoundTrips(@ForAll("accessUnits") List<TsMuxerTest.Au> aus) {
        TsMuxer mux = new TsMuxer(List.of(TsMuxerTest.VIDEO, TsMuxerTest.AUDIO), 0x1000, 0x100);
        Recorder rec = TsMuxerTest.muxDemux(mux, aus, true);
        assertThat(rec.errors).isEmpty();
        assertThat(rec.pes).hasSameSizeAs(aus);
        TsMuxerTest.assertSameAccessUnits(aus, rec);
    }

    @Provide
    Arbitrary<List<TsMuxerTest.Au>> accessUnits() {
        Arbitrary<Long> ts = Arbitraries.longs().between(0, PesHeader.MAX_TIMESTAMP);
        Arbitrary<TsMuxerTest.Au> video = Combinators.combine(ts, Arbitraries.integers().between(0, 3000),
                Arbitraries.of(true, false), Arbitraries.bytes().array(byte[].class).ofMaxSize(3000))
                .as((dts, delay, key, payload) -> new TsMuxerTest.Au(0x100, (dts + delay) & PesHeader.MAX_TIMESTAMP,
                        dts, key, payload));
        Arbitrary<TsMuxerTest.Au> audio = Combinators.combine(ts, Arbitraries.bytes().array(byte[].class).ofMaxSize(800))
                .as((pts, payload) -> new TsMuxerTest.Au(0x101, pts, -1, true, payload));
        return Arbitraries.oneOf(video, audio).list().ofMaxSize(20);
    }
}
