package dev.cascade.protocol.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.Fuzz;
import dev.cascade.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RtpProperties {

    /** Arbitrary bytes: checkHeader throws only RtpParseException, and what passes is safe to read. */
    @Property(tries = 2000)
    void checkThrowsOnlyRtpParseExceptionAndAccessorsStayInside(@ForAll("inputs") byte[] input) {
        ByteBuffer b = ByteBuffer.wrap(input);
        int len = input.length;
        int h;
        try {
            h = RtpPacket.checkHeader(b, 0, len);
        } catch (RtpParseException expected) {
            assertThat(RtpPacket.payloadLength(b, 0, len)).isEqualTo(-1);
            return;
        }
        assertThat(RtpPacket.headerLength(b, 0, len)).isEqualTo(h);
        int payload = RtpPacket.payloadLength(b, 0, len);
        assertThat(payload).isBetween(0, len - h);
        assertThat(h + payload + RtpPacket.paddingLength(b, 0, len)).isEqualTo(len);
        RtpPacket.forEachExtension(b, 0, len, (id, offset, length) -> {
            assertThat(offset).isGreaterThanOrEqualTo(RtpPacket.FIXED_HEADER_SIZE);
            assertThat(offset + length).isLessThanOrEqualTo(h);
            assertThat(RtpPacket.findExtension(b, 0, len, id)).isLessThanOrEqualTo(offset);
        });
        for (int id = 0; id < 256; id++) {
            int at = RtpPacket.findExtension(b, 0, len, id);
            if (at >= 0) {
                assertThat(at + RtpPacket.extensionElementLength(b, 0, at)).isLessThanOrEqualTo(h);
            }
        }
    }

    /** What the writer writes, the accessors read back. */
    @Property(tries = 1000)
    void writerOutputReadsBack(@ForAll @IntRange(max = 127) int pt, @ForAll boolean marker,
                               @ForAll @IntRange(max = 0xFFFF) int seq, @ForAll int ts, @ForAll int ssrc,
                               @ForAll("extensions") Map<Integer, byte[]> extensions,
                               @ForAll @Size(max = 300) byte[] payload, @ForAll @IntRange(max = 20) int offset) {
        ByteBuffer out = ByteBuffer.allocate(offset + 12 + 4 + 17 * 14 + 3 + payload.length + 16);
        out.position(offset);
        RtpWriter w = new RtpWriter(RtpWriter.SRTP_TAIL_ROOM);
        w.start(out, pt, marker, seq, ts, ssrc);
        extensions.forEach((id, data) -> w.extension(id, ByteBuffer.wrap(data)));
        w.payload(ByteBuffer.wrap(payload));
        int len = w.finish();
        int h = RtpPacket.checkHeader(out, offset, len);
        assertThat(RtpPacket.payloadType(out, offset)).isEqualTo(pt);
        assertThat(RtpPacket.marker(out, offset)).isEqualTo(marker);
        assertThat(RtpPacket.sequenceNumber(out, offset)).isEqualTo(seq);
        assertThat(RtpPacket.timestamp(out, offset)).isEqualTo(ts);
        assertThat(RtpPacket.ssrc(out, offset)).isEqualTo(ssrc);
        assertThat(RtpPacket.extension(out, offset)).isEqualTo(!extensions.isEmpty());
        assertThat(RtpPacket.payloadLength(out, offset, len)).isEqualTo(payload.length);
        assertThat(h % 4).isZero();
        extensions.forEach((id, data) -> {
            int at = RtpPacket.findExtension(out, offset, len, id);
            assertThat(RtpPacket.extensionElementLength(out, offset, at)).isEqualTo(data.length);
            byte[] back = new byte[data.length];
            out.get(at, back);
            assertThat(back).isEqualTo(data);
        });
        byte[] back = new byte[payload.length];
        out.get(offset + h, back);
        assertThat(back).isEqualTo(payload);
        assertThat(out.capacity() - out.position()).isGreaterThanOrEqualTo(RtpWriter.SRTP_TAIL_ROOM);
    }

    @Property(tries = 1000)
    void absSendTimeRoundTripsWithinATick(@ForAll long nanos) {
        int v = AbsSendTime.fromNanos(nanos);
        assertThat(v).isBetween(0, 0xFFFFFF);
        long back = AbsSendTime.toNanos(v);
        long expected = Math.floorMod(nanos, 64_000_000_000L);
        long diff = Math.abs(back - expected);
        assertThat(Math.min(diff, 64_000_000_000L - diff)).isLessThanOrEqualTo(3815);
    }

    @Provide
    Arbitrary<Map<Integer, byte[]>> extensions() {
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(16);
        return Arbitraries.integers().between(1, 14).set().ofMaxSize(14).flatMap(ids -> {
            List<Integer> list = new ArrayList<>(ids);
            return data.list().ofSize(list.size()).map(values -> {
                Map<Integer, byte[]> m = new LinkedHashMap<>();
                for (int i = 0; i < list.size(); i++) {
                    m.put(list.get(i), values.get(i));
                }
                return m;
            });
        });
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Fuzz.bytesAndMutants(RtpPacketTest.golden().map(g -> Hex.bytes(g.hex())).collect(Collectors.toList()), 48);
    }
}
