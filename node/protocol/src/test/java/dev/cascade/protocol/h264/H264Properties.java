package dev.cascade.protocol.h264;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.Fuzz;
import dev.cascade.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class H264Properties {

    @Property
    void escapingIsUndoneByUnescaping(@ForAll("zeroHeavy") byte[] rbsp) {
        byte[] escaped = H264.escapeRbsp(rbsp);
        assertThat(H264.unescapeRbsp(ByteBuffer.wrap(escaped))).isEqualTo(rbsp);
        // 7.4.1: within a NAL unit no 0x000000, 0x000001 or 0x000002 may occur.
        assertThat(Hex.hex(escaped)).doesNotContainPattern("^(..)*0000(00|01|02)");
        assertThat(H264.splitAnnexB(ByteBuffer.wrap(concat(new byte[] {0, 0, 1, 0x65}, escaped))))
                .hasSize(1);
    }

    @Property(tries = 2000)
    void spsParseThrowsOnlyH264ParseException(@ForAll("spsInputs") byte[] nal) {
        try {
            Sps sps = Sps.parse(ByteBuffer.wrap(nal));
            assertThat(sps.width()).isPositive();
            assertThat(sps.height()).isPositive();
        } catch (H264ParseException expected) {
            // malformed
        }
    }

    @Property(tries = 2000)
    void seiParseThrowsOnlyH264ParseExceptionAndReencodes(@ForAll("seiInputs") byte[] nal) {
        List<SeiMessage> messages;
        try {
            messages = Sei.parse(ByteBuffer.wrap(nal));
        } catch (H264ParseException expected) {
            return;
        }
        assertThat(Sei.parse(ByteBuffer.wrap(Sei.build(messages)))).isEqualTo(messages);
    }

    @Property
    void splitNeverThrowsAndNalsHaveNoStartCodes(@ForAll("zeroHeavy") byte[] au) {
        for (ByteBuffer nal : H264.splitAnnexB(ByteBuffer.wrap(au))) {
            assertThat(nal.remaining()).isPositive();
            assertThat(Hex.hex(nal)).doesNotContainPattern("^(..)*000001");
            assertThat(nal.get(nal.limit() - 1)).isNotZero();
        }
    }

    /** The scanner agrees with splitAnnexB on the first VCL NAL type, however the input is cut. */
    @Property(tries = 2000)
    void nalScannerAgreesWithSplitInAnyChunking(@ForAll("zeroHeavy") byte[] au, @ForAll long seed) {
        int expected = -1;
        boolean sps = false;
        for (ByteBuffer nal : H264.splitAnnexB(ByteBuffer.wrap(au))) {
            int type = H264.nalType(nal.get(0));
            if (H264.isVcl(type)) {
                expected = type;
                break;
            }
            sps |= type == H264.NAL_SPS;
        }
        NalScanner scanner = new NalScanner();
        Random r = new Random(seed);
        int got = -1;
        for (int p = 0; p < au.length && got < 0; ) {
            int n = Math.min(au.length - p, r.nextInt(6));
            got = scanner.feed(ByteBuffer.wrap(au), p, p + n);
            p += n;
        }
        assertThat(got).isEqualTo(expected);
        assertThat(scanner.sawSps()).isEqualTo(sps);
    }

    /** Bytes with many zeros, ones and threes so start codes and escapes are common. */
    @Provide
    Arbitrary<byte[]> zeroHeavy() {
        Arbitrary<Byte> b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just((byte) 0)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just((byte) 1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just((byte) 3)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of((byte) 0x65, (byte) 0x41, (byte) 0x67, (byte) 0x06)),
                net.jqwik.api.Tuple.of(3, Arbitraries.bytes()));
        return b.array(byte[].class).ofMaxSize(120);
    }

    @Provide
    Arbitrary<byte[]> spsInputs() {
        return Fuzz.bytesAndMutants(seeds(SpsTest.golden().map(SpsTest.Golden::hex)), 40)
                .map(b -> b.length > 0 && Math.floorMod(b.length, 3) == 0 ? withHeader(b, 0x67) : b);
    }

    @Provide
    Arbitrary<byte[]> seiInputs() {
        return Fuzz.bytesAndMutants(seeds(SeiTest.golden().map(SeiTest.Golden::hex)), 60)
                .map(b -> b.length > 0 && Math.floorMod(b.length, 3) == 0 ? withHeader(b, 0x06) : b);
    }

    private static byte[] withHeader(byte[] b, int header) {
        b[0] = (byte) header;
        return b;
    }

    private static List<byte[]> seeds(Stream<String> hex) {
        return hex.map(Hex::bytes).collect(Collectors.toList());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
