package dev.cascade.protocol.h264;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.Fuzz;
import dev.cascade.protocol.Hex;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class H264RtpProperties {

    /** packetize -> depacketize gives back the same NAL units, for any access unit and payload size. */
    @Property(tries = 1000)
    void packetizeThenDepacketizeIsIdentity(@ForAll("accessUnits") List<byte[]> nals, @ForAll("mtus") int mtu,
                                            @ForAll long seed) {
        List<ByteBuffer> au = new ArrayList<>();
        for (byte[] n : nals) {
            au.add(ByteBuffer.wrap(n));
        }
        List<List<String>> units = new ArrayList<>();
        H264Depacketizer d = new H264Depacketizer(1 << 20,
                (annexB, ts, idr) -> units.add(H264.splitAnnexB(annexB).stream().map(Hex::hex).toList()));
        int[] seq = {new Random(seed).nextInt(65536)};
        int[] packets = {0};
        int[] markers = {0};
        new H264Packetizer(mtu).packetize(au, (payload, marker) -> {
            assertThat(payload.remaining()).isBetween(1, mtu);
            packets[0]++;
            markers[0] += marker ? 1 : 0;
            d.push(payload, seq[0]++ & 0xFFFF, 1234, marker);
        });
        assertThat(markers[0]).isEqualTo(nals.isEmpty() ? 0 : 1);
        if (nals.isEmpty()) {
            assertThat(units).isEmpty();
        } else {
            assertThat(units).containsExactly(nals.stream().map(Hex::hex).toList());
        }
        int bytes = nals.stream().mapToInt(n -> n.length).sum();
        if (!nals.isEmpty()) {
            // No packet wasted: at most one more packet than a perfect fill would need per NAL unit.
            assertThat(packets[0]).isLessThanOrEqualTo(nals.size() + bytes / (mtu - 2) + 1);
        }
    }

    /** Whatever payloads arrive, the depacketizer throws only H264ParseException and stays usable. */
    @Property(tries = 2000)
    void depacketizerThrowsOnlyH264ParseException(@ForAll("payloadSequences") List<byte[]> payloads,
                                                   @ForAll long seed) {
        Random r = new Random(seed);
        H264Depacketizer d = new H264Depacketizer(4096, (annexB, ts, idr) -> {
            assertThat(annexB.remaining()).isBetween(5, 4096);
            assertThat(annexB.getInt(annexB.position())).isEqualTo(1);
        });
        int seq = 0;
        for (byte[] p : payloads) {
            try {
                d.push(ByteBuffer.wrap(p), seq, r.nextInt(3), r.nextInt(4) == 0);
            } catch (H264ParseException expected) {
                // malformed
            }
            seq += r.nextInt(10) == 0 ? 2 : 1;
        }
        d.flush();
    }

    @Provide
    Arbitrary<Integer> mtus() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(3, 40)),
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(41, 1500)));
    }

    /** NAL units as encoders make them: a valid header, no start code inside, last byte non-zero. */
    @Provide
    Arbitrary<List<byte[]>> accessUnits() {
        Arbitrary<Integer> header = Combinators.combine(Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(1, 23)).as((nri, type) -> (nri << 5) | type);
        Arbitrary<byte[]> body = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(12)),
                net.jqwik.api.Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(400)),
                net.jqwik.api.Tuple.of(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(4000)));
        Arbitrary<byte[]> nal = Combinators.combine(header, body).as((h, b) -> {
            byte[] escaped = H264.escapeRbsp(b);
            byte[] n = new byte[1 + escaped.length];
            n[0] = (byte) (int) h;
            System.arraycopy(escaped, 0, n, 1, escaped.length);
            if (n[n.length - 1] == 0) {
                n = Arrays.copyOf(n, n.length + 1);
                n[n.length - 1] = (byte) 0x80;
            }
            return n;
        });
        return nal.list().ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<byte[]>> payloadSequences() {
        List<byte[]> seeds = new ArrayList<>();
        H264DepacketizerTest.golden().forEach(g -> g.packets().forEach(p -> seeds.add(Hex.bytes(p.payload()))));
        return Fuzz.bytesAndMutants(seeds, 24).list().ofMaxSize(12);
    }
}
