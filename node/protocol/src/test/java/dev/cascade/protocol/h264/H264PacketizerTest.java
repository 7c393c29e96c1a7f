package dev.cascade.protocol.h264;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cascade.protocol.mpegts.Pat;
import dev.cascade.protocol.mpegts.Pmt;
import dev.cascade.protocol.mpegts.StreamType;
import dev.cascade.protocol.mpegts.TsDemuxer;
import dev.cascade.protocol.mpegts.TsError;
import dev.cascade.protocol.rtp.RtpPacket;
import dev.cascade.protocol.rtp.RtpWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class H264PacketizerTest {
    /** x264's Constrained Baseline 320x240 SPS (SpsTest) and a PPS as x264 writes for CAVLC. */
    static final String SPS = "6742c00dd90141fb0110000003001000000303c0f142a480";
    static final String PPS = "68ce3c80";

    record Payload(String hex, boolean marker) {}

    static List<Payload> packetize(int mtu, List<ByteBuffer> au) {
        List<Payload> out = new ArrayList<>();
        new H264Packetizer(mtu).packetize(au, (p, m) -> out.add(new Payload(hex(p), m)));
        return out;
    }

    static ByteBuffer nal(int header, int size) {
        byte[] b = new byte[size];
        b[0] = (byte) header;
        for (int i = 1; i < size; i++) {
            b[i] = (byte) (i * 7 + 1);
        }
        return ByteBuffer.wrap(b);
    }

    /** RFC 6184 5.7.1 and 5.8 by hand: SPS + PPS aggregated, the IDR cut into three near-equal FU-As. */
    @Test
    void keyframeGoesAsStapAThenFuA() {
        ByteBuffer idr = nal(0x65, 3000);
        List<Payload> p = packetize(1200, List.of(ByteBuffer.wrap(bytes(SPS)), ByteBuffer.wrap(bytes(PPS)), idr));
        assertThat(p).hasSize(4);
        // STAP-A: F=0, NRI = max(3, 3), type 24; then 16-bit size + NAL for each.
        assertThat(p.get(0)).isEqualTo(new Payload("78" + "0018" + SPS + "0004" + PPS, false));
        // FU-A: indicator F|NRI of the IDR (0x60) | 28 = 0x7c; header S/E + type 5. 2999 body bytes: 1000 + 1000 + 999.
        assertThat(p.get(1).hex).startsWith("7c85").hasSize(2 * 1002);
        assertThat(p.get(2).hex).startsWith("7c05").hasSize(2 * 1002);
        assertThat(p.get(3).hex).startsWith("7c45").hasSize(2 * 1001);
        assertThat(p.stream().map(Payload::marker)).containsExactly(false, false, false, true);
        String body = p.get(1).hex.substring(4) + p.get(2).hex.substring(4) + p.get(3).hex.substring(4);
        assertThat(body).isEqualTo(hex(idr).substring(2));
        assertThat(idr.position()).isZero();
    }

    @Test
    void nalsThatDoNotShareAPacketGoSingle() {
        List<Payload> p = packetize(1200, List.of(nal(0x41, 800), nal(0x41, 800)));
        assertThat(p).extracting(Payload::marker).containsExactly(false, true);
        assertThat(p.get(0).hex).isEqualTo(hex(nal(0x41, 800)));
        // Exactly the payload size still goes single.
        assertThat(packetize(800, List.of(nal(0x41, 800)))).containsExactly(new Payload(hex(nal(0x41, 800)), true));
    }

    @Test
    void smallNalsAggregateGreedilyWithHighestNri() {
        ByteBuffer sei = ByteBuffer.wrap(bytes("0605"));      // NRI 0
        ByteBuffer slice = nal(0x21, 10);                      // NRI 1
        ByteBuffer big = nal(0x41, 100);                       // NRI 2
        List<Payload> p = packetize(1 + 2 + 2 + 2 + 10, List.of(sei, slice, big));
        assertThat(p).hasSize(1 + 7); // the 100-byte NAL needs 7 FU-As of at most 15 bytes
        assertThat(p.get(0)).isEqualTo(new Payload("38" + "0002" + "0605" + "000a" + hex(slice), false));
        assertThat(p.get(1).hex).startsWith("5c81").hasSize(2 * 17);
        // 99 body bytes in 7 near-equal fragments: one of 15, six of 14.
        assertThat(p.get(7)).isEqualTo(new Payload("5c41" + hex(big).substring(200 - 2 * 14), true));
        List<Payload> all = packetize(1200, List.of(sei, slice, big));
        assertThat(all).containsExactly(new Payload("58" + "0002" + "0605" + "000a" + hex(slice) + "0064" + hex(big),
                true));
    }

    @Test
    void emptyNalsAreSkippedAndAnEmptyUnitGivesNothing() {
        assertThat(packetize(1200, List.of())).isEmpty();
        assertThat(packetize(1200, List.of(ByteBuffer.allocate(0)))).isEmpty();
        ByteBuffer slice = nal(0x41, 20);
        assertThat(packetize(1200, List.of(ByteBuffer.allocate(0), slice, ByteBuffer.allocate(0))))
                .containsExactly(new Payload(hex(slice), true));
    }

    @Test
    void smallestPayloadSizeCarriesOneByteFragments() {
        List<Payload> p = packetize(3, List.of(ByteBuffer.wrap(bytes("65aabbcc"))));
        assertThat(p).containsExactly(new Payload("7c85aa", false), new Payload("7c05bb", false),
                new Payload("7c45cc", true));
        assertThatThrownBy(() -> new H264Packetizer(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new H264Packetizer(65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pullApiWritesStraightIntoRtpPackets() {
        List<ByteBuffer> au = List.of(ByteBuffer.wrap(bytes(SPS)), ByteBuffer.wrap(bytes(PPS)), nal(0x65, 2500));
        List<Payload> expected = packetize(1200, au);
        H264Packetizer p = new H264Packetizer(1200);
        RtpWriter w = new RtpWriter(RtpWriter.SRTP_TAIL_ROOM);
        ByteBuffer pool = ByteBuffer.allocate(1500);
        List<Payload> got = new ArrayList<>();
        p.begin(au);
        int seq = 100;
        while (p.hasNext()) {
            pool.clear();
            boolean marker = p.nextIsLast();
            w.start(pool, 102, marker, seq++, 90_000, 0x1234).absSendTime(2, 1);
            assertThat(p.nextPayloadSize()).isLessThanOrEqualTo(w.maxPayload());
            w.beginPayload();
            p.writeNext(pool);
            int len = w.finish();
            int off = RtpPacket.payloadOffset(pool, 0, len);
            byte[] payload = Arrays.copyOfRange(pool.array(), off, len);
            got.add(new Payload(hex(payload), RtpPacket.marker(pool, 0)));
        }
        assertThat(got).isEqualTo(expected);
        assertThatThrownBy(p::nextPayloadSize).isInstanceOf(IllegalStateException.class);
    }

    /** Every access unit of the FFmpeg sample survives packetizing and depacketizing unchanged. */
    @Test
    void sampleStreamRoundTrips() throws IOException {
        List<byte[]> aus = sampleAccessUnits();
        assertThat(aus).hasSize(30);
        for (int mtu : new int[] {1200, 300, 40}) {
            H264Packetizer packetizer = new H264Packetizer(mtu);
            List<String> back = new ArrayList<>();
            List<Boolean> idrs = new ArrayList<>();
            H264Depacketizer depacketizer = new H264Depacketizer(1 << 20, (annexB, ts, idr) -> {
                back.add(H264.splitAnnexB(annexB).stream().map(dev.cascade.protocol.Hex::hex).toList().toString());
                idrs.add(idr);
            });
            int[] seq = {65530};
            for (int i = 0; i < aus.size(); i++) {
                int ts = i * 3000;
                packetizer.packetize(H264.splitAnnexB(ByteBuffer.wrap(aus.get(i))), (payload, marker) -> {
                    assertThat(payload.remaining()).isLessThanOrEqualTo(mtu);
                    depacketizer.push(payload, seq[0]++ & 0xFFFF, ts, marker);
                });
            }
            assertThat(back).hasSize(30);
            for (int i = 0; i < aus.size(); i++) {
                assertThat(back.get(i)).isEqualTo(H264.splitAnnexB(ByteBuffer.wrap(aus.get(i))).stream()
                        .map(dev.cascade.protocol.Hex::hex).toList().toString());
            }
            assertThat(idrs.get(0)).isTrue();
            assertThat(idrs.subList(1, 30)).containsOnly(false);
            assertThat(depacketizer.droppedAccessUnits()).isZero();
        }
    }

    static List<byte[]> sampleAccessUnits() throws IOException {
        byte[] ts;
        try (InputStream in = TsDemuxer.class.getResourceAsStream("h264-aac-320x240-1s.ts")) {
            ts = in.readAllBytes();
        }
        List<byte[]> aus = new ArrayList<>();
        TsDemuxer demuxer = new TsDemuxer(new TsDemuxer.Listener() {
            @Override
            public void onPat(Pat pat) {}

            @Override
            public void onPmt(int pid, Pmt pmt) {}

            @Override
            public void onPes(int pid, int streamType, long pts, long dts, boolean randomAccess, ByteBuffer payload) {
                if (streamType == StreamType.H264) {
                    byte[] b = new byte[payload.remaining()];
                    payload.get(b);
                    aus.add(b);
                }
            }

            @Override
            public void onError(TsError error, int pid) {}
        });
        demuxer.feed(ByteBuffer.wrap(ts));
        demuxer.flush();
        return aus;
    }
}
