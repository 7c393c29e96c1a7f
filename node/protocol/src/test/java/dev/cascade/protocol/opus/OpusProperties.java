package dev.cascade.protocol.opus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.Fuzz;
import dev.cascade.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class OpusProperties {

    @Property(tries = 2000)
    void splitThrowsOnlyOpusParseException(@ForAll("payloads") byte[] input) {
        try {
            for (ByteBuffer au : OpusTs.splitAccessUnits(ByteBuffer.wrap(input))) {
                assertThat(au.remaining()).isLessThanOrEqualTo(input.length);
            }
        } catch (OpusParseException expected) {
            // malformed
        }
    }

    @Property(tries = 2000)
    void frameCountThrowsOnlyOpusParseException(@ForAll @Size(max = 8) byte[] packet) {
        OpusToc toc = OpusToc.parse(packet.length == 0 ? 0 : packet[0]);
        try {
            int n = toc.frameCount(ByteBuffer.wrap(packet));
            assertThat(n * toc.frameDurationMicros()).isBetween(2_500, 120_000);
        } catch (OpusParseException expected) {
            // malformed
        }
    }

    @Property
    void writtenAccessUnitsSplitBack(@ForAll List<@Size(max = 700) byte[]> units) {
        int size = units.stream().mapToInt(u -> OpusTs.controlHeaderSize(u.length) + u.length).sum();
        ByteBuffer pes = ByteBuffer.allocate(size);
        for (byte[] u : units) {
            OpusTs.writeControlHeader(pes, u.length);
            pes.put(u);
        }
        List<ByteBuffer> back = OpusTs.splitAccessUnits(pes.flip());
        assertThat(back).hasSameSizeAs(units);
        for (int i = 0; i < units.size(); i++) {
            assertThat(Hex.hex(back.get(i))).isEqualTo(Hex.hex(units.get(i)));
        }
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Fuzz.bytesAndMutants(List.of(Hex.bytes(OpusTsTest.LAST_PES_PAYLOAD), Hex.bytes("7ff4020138 03aabbcc f801 7fe001fc")),
                40);
    }
}
