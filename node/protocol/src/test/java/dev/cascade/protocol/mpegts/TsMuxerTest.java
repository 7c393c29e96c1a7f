package dev.cascade.protocol.mpegts;

import static dev.cascade.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TsMuxerTest {
    static final byte[] OPUS = bytes("05044f707573");
    static final TsMuxer.Track VIDEO = new TsMuxer.Track(0x100, StreamType.H264, 0xE0, null);
    static final TsMuxer.Track AUDIO = new TsMuxer.Track(0x101, StreamType.AAC_ADTS, 0xC0, null);
    static final TsMuxer.Track OPUS_TRACK = new TsMuxer.Track(0x102, StreamType.PRIVATE_PES, 0xBD, OPUS);

    record Au(int pid, long pts, long dts, boolean keyframe, byte[] payload) {}

    @Test
    void psiPacketsEqualFfmpegs() {
        // FFmpeg's defaults: PMT on 0x1000, video 0x100 (also the PCR PID), audio 0x101.
        TsMuxer mux = new TsMuxer(List.of(VIDEO, AUDIO), 0x1000, 0x100);
        ByteBuffer out = ByteBuffer.allocate(mux.psiSize());
        mux.writePsi(out);
        byte[] ts = TsDemuxerTest.sample();
        int pat = 2 * 188; // the file starts with SDT (PID 0x11), PAT, PMT
        assertThat(Arrays.copyOfRange(out.array(), 0, 376)).isEqualTo(Arrays.copyOfRange(ts, 188, 188 + 376));
        assertThat(pat).isEqualTo(376);
    }

    @Test
    void roundTripThroughTheDemuxer() {
        TsMuxer mux = new TsMuxer(List.of(VIDEO, AUDIO, OPUS_TRACK), 0x1000, 0x100);
        Random r = new Random(1);
        List<Au> aus = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long dts = 900_000 + i * 3000L;
            int size = i == 5 ? 70_000 : i == 6 ? 65_535 : r.nextInt(i % 2 == 0 ? 20_000 : 400);
            aus.add(new Au(0x100, dts + 6000, dts, i % 30 == 0, random(r, size)));
            aus.add(new Au(0x101, dts + 100, -1, true, random(r, r.nextInt(600))));
            aus.add(new Au(0x102, dts + 200, -1, true, random(r, r.nextInt(300))));
        }
        Recorder rec = muxDemux(mux, aus, true);
        assertThat(rec.errors).isEmpty();
        assertThat(rec.pats).hasSize(1);
        assertThat(rec.pmts).hasSize(1);
        assertThat(rec.pmts.get(0).streams().get(2).descriptors()).isEqualTo(OPUS);
        assertThat(rec.pes).hasSize(aus.size());
        assertSameAccessUnits(aus, rec);
    }

    /**
     * Per PID, since an unbounded video PES is only known complete when the next one starts, so it
     * can come out after audio written later.
     */
    static void assertSameAccessUnits(List<Au> aus, Recorder rec) {
        for (int pid : aus.stream().mapToInt(Au::pid).distinct().toArray()) {
            List<Au> in = aus.stream().filter(a -> a.pid() == pid).toList();
            List<Recorder.Pes> out = rec.pes(pid);
            assertThat(out).hasSameSizeAs(in);
            for (int i = 0; i < in.size(); i++) {
                Au au = in.get(i);
                Recorder.Pes pes = out.get(i);
                assertThat(pes.payload()).isEqualTo(au.payload());
                assertThat(pes.pts()).isEqualTo(au.pts());
                assertThat(pes.dts()).isEqualTo(au.dts() < 0 ? au.pts() : au.dts());
                assertThat(pes.randomAccess()).isEqualTo(au.keyframe());
            }
        }
    }

    @Test
    void everyStuffingLengthRoundTrips() {
        // Payload sizes across two packet boundaries hit every adaptation-field stuffing length,
        // including the one-byte field (length 0) and no stuffing at all.
        TsMuxer mux = new TsMuxer(List.of(AUDIO), 0x1000, 0x101);
        List<Au> aus = new ArrayList<>();
        Random r = new Random(2);
        for (int size = 0; size < 2 * 184 + 20; size++) {
            aus.add(new Au(0x101, size * 1920L, -1, size % 2 == 0, random(r, size)));
        }
        Recorder rec = muxDemux(mux, aus, false);
        assertThat(rec.errors).isEmpty();
        assertThat(rec.pes).extracting(p -> p.payload().length)
                .containsExactlyElementsOf(aus.stream().map(a -> a.payload().length).toList());
    }

    @Test
    void packetsCarryPcrRandomAccessAndUnboundedVideoLength() {
        TsMuxer mux = new TsMuxer(List.of(VIDEO, AUDIO), 0x1000, 0x100);
        ByteBuffer out = ByteBuffer.allocate(mux.maxBytesFor(70_000));
        mux.writeAccessUnit(out, 0x100, 93_000, 90_000, true, ByteBuffer.wrap(new byte[70_000]));
        assertThat(out.position() % 188).isZero();
        assertThat(out.position()).isLessThanOrEqualTo(mux.maxBytesFor(70_000));
        ByteBuffer ts = out.flip();
        // First packet: PUSI, adaptation field with RAI and PCR = DTS * 300, then the PES header.
        assertThat(TsPacket.payloadUnitStart(ts, 0)).isTrue();
        assertThat(TsPacket.randomAccess(ts, 0)).isTrue();
        assertThat(ts.get(5) & 0x10).isEqualTo(0x10);
        long pcrBase = ((ts.getInt(6) & 0xFFFFFFFFL) << 1) | ((ts.get(10) & 0x80) >> 7);
        assertThat(pcrBase).isEqualTo(90_000);
        PesHeader h = PesHeader.parse(ts, TsPacket.payloadOffset(ts, 0), 19);
        assertThat(h.packetLength()).isZero();
        // Audio access units on a non-PCR PID carry no adaptation field unless stuffing is needed.
        out.clear();
        mux.writeAccessUnit(out, 0x101, 90_000, -1, false, ByteBuffer.wrap(new byte[170]));
        assertThat(TsPacket.hasAdaptationField(out, 0)).isFalse();
    }

    @Test
    void dedicatedPcrPidGetsAdaptationOnlyPackets() {
        TsMuxer mux = new TsMuxer(List.of(AUDIO), 0x1000, 0x1FF);
        ByteBuffer out = ByteBuffer.allocate(4 * 188);
        mux.writeAccessUnit(out, 0x101, 1000, -1, true, ByteBuffer.wrap(new byte[10]));
        assertThat(out.position()).isEqualTo(2 * 188);
        assertThat(TsPacket.pid(out, 0)).isEqualTo(0x1FF);
        assertThat(TsPacket.adaptationFieldControl(out, 0)).isEqualTo(2);
        assertThat(TsPacket.adaptationFieldLength(out, 0)).isEqualTo(183);
        out.clear();
        mux.writeAccessUnit(out, 0x101, 2000, -1, true, ByteBuffer.wrap(new byte[10])); // 11 ms later: no PCR
        assertThat(out.position()).isEqualTo(188);
    }

    @Test
    void payloadPositionIsLeftAlone() {
        TsMuxer mux = new TsMuxer(List.of(AUDIO), 0x1000, 0x101);
        ByteBuffer payload = ByteBuffer.wrap(new byte[300]).position(20);
        mux.writeAccessUnit(ByteBuffer.allocate(mux.maxBytesFor(280)), 0x101, 0, -1, true, payload);
        assertThat(payload.position()).isEqualTo(20);
    }

    @Test
    void refusesWhatItCannotMux() {
        TsMuxer mux = new TsMuxer(List.of(VIDEO, AUDIO), 0x1000, 0x100);
        assertThatThrownBy(() -> mux.writeAccessUnit(ByteBuffer.allocate(200_000), 0x101, 0, -1, true,
                ByteBuffer.allocate(70_000))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mux.writeAccessUnit(ByteBuffer.allocate(2000), 0x55, 0, -1, true,
                ByteBuffer.allocate(10))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mux.writeAccessUnit(ByteBuffer.allocate(188), 0x100, 0, -1, true,
                ByteBuffer.allocate(1000))).isInstanceOf(BufferOverflowException.class);
        assertThatThrownBy(() -> new TsMuxer(List.of(VIDEO, VIDEO), 0x1000, 0x100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TsMuxer(List.of(VIDEO), 0x100, 0x100))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TsMuxer(List.of(VIDEO), 0x1000, 0x1000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Recorder muxDemux(TsMuxer mux, List<Au> aus, boolean psiEvery10) {
        ByteBuffer out = ByteBuffer.allocate(8 << 20);
        mux.writePsi(out);
        int n = 0;
        for (Au au : aus) {
            if (psiEvery10 && ++n % 10 == 0) {
                mux.writePsi(out);
            }
            int before = out.position();
            mux.writeAccessUnit(out, au.pid(), au.pts(), au.dts(), au.keyframe(), ByteBuffer.wrap(au.payload()));
            assertThat(out.position() - before).isLessThanOrEqualTo(mux.maxBytesFor(au.payload().length));
        }
        out.flip();
        assertThat(out.limit() % 188).isZero();
        Recorder rec = new Recorder();
        TsDemuxer d = new TsDemuxer(rec);
        d.feed(out);
        d.flush();
        return rec;
    }

    static byte[] random(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}
