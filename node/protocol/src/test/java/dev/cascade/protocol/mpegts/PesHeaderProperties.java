package dev.cascade.protocol.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.Fuzz;
import dev.cascade.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class PesHeaderProperties {

    @Property(tries = 2000)
    void parseThrowsOnlyTsParseExceptionAndReencodes(@ForAll("inputs") byte[] input) {
        PesHeader h;
        try {
            h = PesHeader.parse(ByteBuffer.wrap(input), 0, input.length);
        } catch (TsParseException expected) {
            return;
        }
        assertThat(h.headerLength()).isBetween(6, input.length);
        if (h.packetLength() != 0 && h.headerLength() > 6 && h.packetLength() < h.encodedSize() - 6) {
            return; // stuffing made the original fit a length its canonical header exceeds
        }
        ByteBuffer out = ByteBuffer.allocate(PesHeader.MAX_ENCODED_SIZE);
        h.encodeTo(out);
        PesHeader back = PesHeader.parse(out.flip(), 0, out.limit());
        assertThat(back.pts()).isEqualTo(h.pts());
        assertThat(back.dts()).isEqualTo(h.dts() == h.pts() ? -1 : h.dts());
        assertThat(back.streamId()).isEqualTo(h.streamId());
        assertThat(back.packetLength()).isEqualTo(h.packetLength());
    }

    @Property
    void encodeDecodeRoundTrip(@ForAll @IntRange(min = 0xBC, max = 0xFF) int streamId,
                               @ForAll @IntRange(min = 0, max = 0xFFFF) int length,
                               @ForAll @LongRange(min = -1, max = (1L << 33) - 1) long pts,
                               @ForAll @LongRange(min = -1, max = (1L << 33) - 1) long dts) {
        if (!PesHeader.hasOptionalHeader(streamId)) {
            pts = -1;
            dts = -1;
        }
        if (pts < 0) {
            dts = -1;
        }
        int size = PesHeader.headerSize(streamId, pts, dts);
        if (length != 0 && length < size - 6) {
            length = size - 6;
        }
        ByteBuffer out = ByteBuffer.allocate(PesHeader.MAX_ENCODED_SIZE);
        assertThat(PesHeader.encode(out, streamId, length, pts, dts)).isEqualTo(size);
        PesHeader h = PesHeader.parse(out.flip(), 0, size);
        assertThat(h).isEqualTo(new PesHeader(streamId, length, pts, dts == pts ? -1 : dts, size));
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Fuzz.bytesAndMutants(PesHeaderTest.golden().map(g -> Hex.bytes(g.hex())).collect(Collectors.toList()), 40);
    }
}
