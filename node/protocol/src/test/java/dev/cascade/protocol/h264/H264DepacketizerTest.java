package dev.cascade.protocol.h264;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class H264DepacketizerTest {
    record Packet(String payload, int seq, int ts, boolean marker) {}

    record Unit(String annexB, int ts, boolean idr) {}

    record Golden(String name, List<Packet> packets, List<Unit> units) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String SPS = H264PacketizerTest.SPS;
    static final String PPS = H264PacketizerTest.PPS;

    /** Payloads built by hand from the RFC 6184 5.6, 5.7.1 and 5.8 diagrams. */
    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("single NAL unit packet", List.of(new Packet("4188aabb", 1, 3000, true)),
                        List.of(new Unit("000000014188aabb", 3000, false))),
                new Golden("STAP-A SPS+PPS then an IDR in three FU-As", List.of(
                        new Packet("78" + "0018" + SPS + "0004" + PPS, 10, 90000, false),
                        new Packet("7c85" + "0102", 11, 90000, false),
                        new Packet("7c05" + "0304", 12, 90000, false),
                        new Packet("7c45" + "05", 13, 90000, true)),
                        List.of(new Unit("00000001" + SPS + "00000001" + PPS + "00000001" + "65" + "0102030405", 90000,
                                true))),
                new Golden("two access units, sequence wrapping", List.of(
                        new Packet("0605ff", 65535, 0, false),
                        new Packet("4101", 0, 0, true),
                        new Packet("4102", 1, 3000, true)),
                        List.of(new Unit("000000010605ff" + "000000014101", 0, false),
                                new Unit("000000014102", 3000, false))),
                new Golden("no marker: a timestamp change ends the unit", List.of(
                        new Packet("4101", 5, 0, false),
                        new Packet("4102", 6, 3000, false),
                        new Packet("4103", 7, 6000, true)),
                        List.of(new Unit("000000014101", 0, false), new Unit("000000014102", 3000, false),
                                new Unit("000000014103", 6000, false))),
                new Golden("FU-A keeps F and NRI of the indicator", List.of(
                        new Packet("3c81aa", 1, 0, false), new Packet("3c41bb", 2, 0, true)),
                        List.of(new Unit("00000001" + "21aabb", 0, false))));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    static List<Unit> feed(H264Depacketizer[] holder, List<Packet> packets, int max) {
        List<Unit> out = new ArrayList<>();
        H264Depacketizer d = new H264Depacketizer(max, (annexB, ts, idr) -> out.add(new Unit(hex(annexB), ts, idr)));
        holder[0] = d;
        for (Packet p : packets) {
            d.push(ByteBuffer.wrap(bytes(p.payload)), p.seq, p.ts, p.marker);
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void reassembles(Golden g) {
        H264Depacketizer[] d = new H264Depacketizer[1];
        assertThat(feed(d, g.packets, 4096)).isEqualTo(g.units);
        assertThat(d[0].deliveredAccessUnits()).isEqualTo(g.units.size());
        assertThat(d[0].droppedAccessUnits()).isZero();
    }

    @Test
    void lossInsideAUnitDropsIt() {
        H264Depacketizer[] d = new H264Depacketizer[1];
        List<Unit> out = feed(d, List.of(
                new Packet("7c85" + "01", 1, 0, false),
                // seq 2 lost
                new Packet("7c45" + "03", 3, 0, true),
                new Packet("4101", 4, 3000, true)), 4096);
        assertThat(out).containsExactly(new Unit("000000014101", 3000, false));
        assertThat(d[0].droppedAccessUnits()).isEqualTo(1);
    }

    @Test
    void lossAtABoundaryAlsoDropsTheNextUnitBecauseItsStartMayBeGone() {
        H264Depacketizer[] d = new H264Depacketizer[1];
        List<Unit> out = feed(d, List.of(
                new Packet("4101", 1, 0, false),
                // seq 2 (the marker packet of ts 0, or the first of ts 3000) lost
                new Packet("4103", 3, 3000, true),
                new Packet("4104", 4, 6000, true)), 4096);
        assertThat(out).containsExactly(new Unit("000000014104", 6000, false));
        assertThat(d[0].droppedAccessUnits()).isEqualTo(2);
    }

    @Test
    void flushDeliversAPendingUnitAndResetForgets() {
        List<Unit> out = new ArrayList<>();
        H264Depacketizer d = new H264Depacketizer(4096, (annexB, ts, idr) -> out.add(new Unit(hex(annexB), ts, idr)));
        d.push(ByteBuffer.wrap(bytes("6501")), 9, 1, false);
        d.flush();
        assertThat(out).containsExactly(new Unit("000000016501", 1, true));
        d.push(ByteBuffer.wrap(bytes("4101")), 10, 2, false);
        d.reset();
        d.push(ByteBuffer.wrap(bytes("4102")), 500, 3, true); // no gap after a reset
        assertThat(out).hasSize(2).last().isEqualTo(new Unit("000000014102", 3, false));
        d.flush();
        assertThat(out).hasSize(2);
    }

    @Test
    void oversizeUnitsAreDroppedAndCounted() {
        H264Depacketizer[] d = new H264Depacketizer[1];
        String big = "41" + "ab".repeat(40);
        List<Unit> out = feed(d, List.of(new Packet(big, 1, 0, true), new Packet("4101", 2, 1, true)), 32);
        assertThat(out).containsExactly(new Unit("000000014101", 1, false));
        assertThat(d[0].droppedAccessUnits()).isEqualTo(1);
    }

    @Test
    void outputBufferGrowsUpToTheLimit() {
        H264Depacketizer[] d = new H264Depacketizer[1];
        String body = "ab".repeat(70_000);
        List<Unit> out = feed(d, List.of(new Packet("7c85" + body, 1, 0, false), new Packet("7c45" + body, 2, 0, true)),
                1 << 20);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).annexB).hasSize(2 * (4 + 1 + 140_000));
    }

    @Test
    void rejectsMalformedPayloadsAndKeepsWorking() {
        String[] bad = {
            "",                  // empty
            "c101",              // forbidden_zero_bit
            "00aa",              // type 0
            "19aabb",            // STAP-B (25): interleaved mode only
            "1aaabb",            // MTAP16
            "1baabb",            // MTAP24
            "1daabbcc",          // FU-B
            "1eaa",              // type 30 undefined
            "18",                // STAP-A without NALs
            "1800",              // STAP-A size truncated
            "18000541",          // STAP-A size beyond the payload
            "18000041",          // STAP-A size 0
            "180002c101",        // STAP-A NAL with forbidden_zero_bit
            "1c85",              // FU-A without payload
            "1cc5aa",            // FU-A start and end
            "1c80aa",            // FU-A of NAL type 0
            "1c98aa",            // FU-A of NAL type 24
            "1c05aa",            // FU-A continuation without a start
        };
        for (String hex : bad) {
            List<Unit> out = new ArrayList<>();
            H264Depacketizer d = new H264Depacketizer(4096, (a, ts, idr) -> out.add(new Unit(hex(a), ts, idr)));
            assertThatThrownBy(() -> d.push(ByteBuffer.wrap(bytes(hex)), 1, 0, true), "%s", hex)
                    .isInstanceOf(H264ParseException.class);
            d.push(ByteBuffer.wrap(bytes("4101")), 2, 1, true);
            assertThat(out).as(hex).containsExactly(new Unit("000000014101", 1, false));
            assertThat(d.droppedAccessUnits()).as(hex).isEqualTo(1);
        }
    }

    @Test
    void fragmentRulesAcrossPackets() {
        String[][] bad = {
            {"7c85aa", "7c86bb"},   // type changes mid-unit
            {"7c85aa", "7c85bb"},   // a second start before the end
            {"7c85aa", "4101"},     // a single NAL before the FU-A ended
            {"7c85aa", "18000141"}, // a STAP-A before the FU-A ended
        };
        for (String[] pair : bad) {
            H264Depacketizer d = new H264Depacketizer(4096, (a, ts, idr) -> { });
            d.push(ByteBuffer.wrap(bytes(pair[0])), 1, 0, false);
            assertThatThrownBy(() -> d.push(ByteBuffer.wrap(bytes(pair[1])), 2, 0, true), "%s", pair[1])
                    .isInstanceOf(H264ParseException.class);
            assertThat(d.droppedAccessUnits()).isEqualTo(1);
        }
        // A unit whose marker arrives while a FU-A is still open is incomplete.
        H264Depacketizer d = new H264Depacketizer(4096, (a, ts, idr) -> { });
        d.push(ByteBuffer.wrap(bytes("7c85aa")), 1, 0, true);
        assertThat(d.droppedAccessUnits()).isEqualTo(1);
        assertThat(d.deliveredAccessUnits()).isZero();
    }
}
