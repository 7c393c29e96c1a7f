package dev.cascade.protocol.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.Fuzz;
import dev.cascade.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RtcpProperties {

    /** Arbitrary bytes raise only RtcpParseException, and whatever decodes re-encodes to the same packets. */
    @Property(tries = 2000)
    void parseThrowsOnlyRtcpParseExceptionAndReencodes(@ForAll("inputs") byte[] input) {
        List<RtcpPacket> packets;
        try {
            packets = Rtcp.parseCompound(ByteBuffer.wrap(input));
        } catch (RtcpParseException expected) {
            return;
        }
        assertThat(packets).isNotEmpty();
        byte[] out = Rtcp.encode(packets);
        assertThat(out.length).isLessThanOrEqualTo(input.length + 3 * packets.size());
        assertThat(Rtcp.parseCompound(ByteBuffer.wrap(out))).isEqualTo(packets);
    }

    @Property(tries = 1000)
    void generatedPacketsRoundTripExactly(@ForAll("compounds") List<RtcpPacket> packets) {
        byte[] out = Rtcp.encode(packets);
        assertThat(out.length % 4).isZero();
        assertThat(Rtcp.parseCompound(ByteBuffer.wrap(out))).isEqualTo(packets);
        assertThat(Rtcp.encode(Rtcp.parseCompound(ByteBuffer.wrap(out)))).isEqualTo(out);
    }

    @Property(tries = 1000)
    void nackOfCoversExactlyTheLostPackets(@ForAll("lostRuns") List<Integer> lost) {
        Nack nack = Nack.of(1, 2, lost);
        assertThat(nack.lostSequenceNumbers()).containsExactlyElementsOf(
                lost.stream().map(s -> s & 0xFFFF).distinct().collect(Collectors.toList()));
    }

    @Provide
    Arbitrary<List<Integer>> lostRuns() {
        // Ascending (with wrap) lost sequence numbers, as a receiver's loss list is.
        return Combinators.combine(Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(40)).as((start, gaps) -> {
                    List<Integer> out = new ArrayList<>();
                    int s = start;
                    for (int g : gaps) {
                        out.add(s & 0xFFFF);
                        s += g;
                    }
                    return out;
                });
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Fuzz.bytesAndMutants(RtcpTest.golden().map(g -> Hex.bytes(g.hex())).collect(Collectors.toList()), 80);
    }

    @Provide
    Arbitrary<List<RtcpPacket>> compounds() {
        Arbitrary<Integer> ssrc = Arbitraries.integers();
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, 0xFFFF_FFFFL);
        Arbitrary<ReportBlock> block = Combinators.combine(ssrc, Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(-(1 << 23), (1 << 23) - 1), u32, u32, ssrc, u32)
                .as(ReportBlock::new);
        Arbitrary<List<ReportBlock>> blocks = block.list().ofMaxSize(3);
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(60);
        Arbitrary<RtcpPacket> sr = Combinators.combine(ssrc, Arbitraries.longs(), ssrc, u32, u32, blocks)
                .as(SenderReport::new);
        Arbitrary<RtcpPacket> rr = Combinators.combine(ssrc, blocks).as(ReceiverReport::new);
        Arbitrary<SourceDescription.Item> item = Combinators.combine(Arbitraries.integers().between(1, 8), text)
                .as(SourceDescription.Item::new);
        Arbitrary<RtcpPacket> sdes = Combinators.combine(ssrc, item.list().ofMaxSize(3))
                .as(SourceDescription.Chunk::new).list().ofMaxSize(3).map(SourceDescription::new);
        Arbitrary<RtcpPacket> bye = Combinators.combine(ssrc.list().ofMaxSize(4), text.injectNull(0.5)).as(Bye::new);
        Arbitrary<RtcpPacket> nack = Combinators.combine(ssrc, ssrc, Combinators.combine(
                Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers().between(0, 0xFFFF))
                .as(Nack.Pair::new).list().ofMinSize(1).ofMaxSize(5)).as(Nack::new);
        Arbitrary<RtcpPacket> pli = Combinators.combine(ssrc, ssrc).as(Pli::new);
        Arbitrary<RtcpPacket> fir = Combinators.combine(ssrc, ssrc, Combinators.combine(ssrc,
                Arbitraries.integers().between(0, 255)).as(Fir.Entry::new).list().ofMinSize(1).ofMaxSize(3)).as(Fir::new);
        Arbitrary<RtcpPacket> remb = Combinators.combine(ssrc, Arbitraries.integers().between(0, 63),
                Arbitraries.integers().between(0, 0x3FFFF), ssrc.list().ofMaxSize(4)).as(Remb::new);
        Arbitrary<RtcpPacket> unknown = Combinators.combine(Arbitraries.of(204, 207, 195),
                Arbitraries.integers().between(0, 31), Arbitraries.bytes().array(byte[].class).ofMaxSize(6)
                        .map(b -> java.util.Arrays.copyOf(b, 4 * ((b.length + 3) / 4))))
                .as(RtcpPacket.Unknown::new);
        return Arbitraries.oneOf(sr, rr, sdes, bye, nack, pli, fir, remb, unknown).list().ofMinSize(1).ofMaxSize(4);
    }
}
