package dev.cascade.protocol.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.aac.AdtsHeader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TsDemuxerTest {
    static final int VIDEO = 0x100;
    static final int AUDIO = 0x101;

    /** FFmpeg-made: 30 H.264 PES (one IDR), 4 AAC PES with 45 ADTS frames; see resources/README.md. */
    static byte[] sample() {
        try (InputStream in = TsDemuxerTest.class.getResourceAsStream("h264-aac-320x240-1s.ts")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Recorder demux(byte[] ts, long chunkSeed) {
        Recorder r = new Recorder();
        TsDemuxer d = new TsDemuxer(r);
        Random random = new Random(chunkSeed);
        for (int p = 0; p < ts.length; ) {
            int n = chunkSeed == 0 ? ts.length : Math.min(ts.length - p, 1 + random.nextInt(700));
            // Each chunk sits at a random offset of a bigger buffer so absolute indexing is exercised.
            ByteBuffer b = ByteBuffer.allocate(n + 20);
            b.position(7);
            b.put(ts, p, n);
            b.flip().position(7);
            d.feed(b);
            assertThat(b.hasRemaining()).isFalse();
            p += n;
        }
        d.flush();
        return r;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 42})
    void realStreamInRandomChunks(long seed) {
        Recorder r = demux(sample(), seed);
        assertThat(r.errors).isEmpty();
        assertThat(r.pats).hasSize(1);
        assertThat(r.pmts).hasSize(1);
        List<Recorder.Pes> video = r.pes(VIDEO);
        List<Recorder.Pes> audio = r.pes(AUDIO);
        assertThat(video).hasSize(30);
        assertThat(audio).hasSize(4);
        assertThat(video.get(0).pts()).isEqualTo(132000);
        assertThat(video.get(0).dts()).isEqualTo(126000);
        assertThat(video.get(0).randomAccess()).isTrue();
        assertThat(video.stream().filter(Recorder.Pes::randomAccess).count()).isEqualTo(1);
        assertThat(video.stream().mapToInt(p -> p.payload().length).sum()).isEqualTo(38299);
        assertThat(video).allSatisfy(p -> {
            assertThat(p.streamType()).isEqualTo(StreamType.H264);
            assertThat(Arrays.copyOf(p.payload(), 5)).containsExactly(0, 0, 0, 1, 9); // access unit delimiter
        });
        assertThat(audio.get(0).pts()).isEqualTo(129910);
        assertThat(audio.get(0).dts()).isEqualTo(129910); // no DTS in the PES: equal to PTS
        assertThat(audio.stream().mapToInt(p -> AdtsHeader.splitFrames(ByteBuffer.wrap(p.payload())).size()).sum())
                .isEqualTo(45);
    }

    @Test
    void chunkingDoesNotChangeTheResult() {
        byte[] ts = sample();
        List<Recorder.Pes> whole = demux(ts, 0).pes;
        for (long seed = 5; seed < 10; seed++) {
            assertThat(demux(ts, seed).pes).isEqualTo(whole);
        }
    }

    @Test
    void oneByteAtATime() {
        byte[] ts = sample();
        Recorder r = new Recorder();
        TsDemuxer d = new TsDemuxer(r);
        for (byte b : ts) {
            d.feed(ByteBuffer.wrap(new byte[] {b}));
        }
        d.flush();
        assertThat(r.pes).isEqualTo(demux(ts, 0).pes);
    }

    @Test
    void unboundedPesNeedsTheNextStartOrFlush() {
        Recorder r = new Recorder();
        TsDemuxer d = new TsDemuxer(r);
        d.feed(ByteBuffer.wrap(sample()));
        assertThat(r.pes(VIDEO)).hasSize(29);
        assertThat(r.pes(AUDIO)).hasSize(4); // bounded by PES_packet_length: complete without a successor
        d.flush();
        assertThat(r.pes(VIDEO)).hasSize(30);
    }

    @Test
    void garbageBetweenPacketsIsOneSyncLossAndNothingIsLost() {
        byte[] ts = sample();
        byte[] junk = new byte[333];
        Arrays.fill(junk, (byte) 0x55);
        junk[10] = TsPacket.SYNC; // a lone sync byte inside the junk must not fake a lock
        byte[] damaged = Packets.concat(Arrays.copyOf(ts, 100 * 188), junk, Arrays.copyOfRange(ts, 100 * 188, ts.length));
        for (long seed : new long[] {0, 7, 8}) {
            Recorder r = demux(damaged, seed);
            assertThat(r.errors).containsOnlyKeys(TsError.SYNC_LOSS);
            assertThat(r.errors(TsError.SYNC_LOSS)).isEqualTo(1);
            assertThat(r.errorLog).containsExactly("SYNC_LOSS@-1");
            assertThat(r.pes).isEqualTo(demux(ts, 0).pes);
        }
    }

    @Test
    void truncatedPacketMidStreamLosesSyncOnceAndLaterPesStillArrive() {
        byte[] ts = sample();
        // A video packet half-way loses its last 100 bytes, as when a datagram is cut.
        int p = packetsOf(ts, VIDEO)[120];
        byte[] damaged = Packets.concat(Arrays.copyOf(ts, p * 188 + 88), Arrays.copyOfRange(ts, (p + 1) * 188, ts.length));
        Recorder r = demux(damaged, 3);
        assertThat(r.errors(TsError.SYNC_LOSS)).isEqualTo(1);
        assertThat(r.errors(TsError.CONTINUITY)).isGreaterThanOrEqualTo(1);
        List<Recorder.Pes> expected = demux(ts, 0).pes(VIDEO);
        List<Recorder.Pes> got = r.pes(VIDEO);
        assertThat(got.size()).isBetween(27, 30);
        assertThat(got.subList(got.size() - 5, got.size())).isEqualTo(expected.subList(25, 30));
    }

    @Test
    void twoSeparateSyncLossesAreReportedTwice() {
        byte[] ts = sample();
        byte[] junk = new byte[50];
        byte[] damaged = Packets.concat(Arrays.copyOf(ts, 50 * 188), junk, Arrays.copyOfRange(ts, 50 * 188, 200 * 188),
                junk, Arrays.copyOfRange(ts, 200 * 188, ts.length));
        Recorder r = demux(damaged, 11);
        assertThat(r.errors(TsError.SYNC_LOSS)).isEqualTo(2);
        assertThat(r.pes).hasSize(34);
    }

    @Test
    void leadingGarbageBeforeTheFirstPacket() {
        byte[] ts = sample();
        Recorder r = demux(Packets.concat(new byte[] {1, 2, 3, 0x47, 5}, ts), 0);
        assertThat(r.errorLog).containsExactly("SYNC_LOSS@-1");
        assertThat(r.pes).hasSize(34);
    }

    @Test
    void droppedPacketsAreCountedAsContinuityErrors() {
        byte[] ts = sample();
        int[] videoPackets = packetsOf(ts, VIDEO);
        // Drop three video packets that do not start a PES, far apart.
        int[] drop = {videoPackets[20], videoPackets[100], videoPackets[180]};
        byte[] damaged = without(ts, drop);
        Recorder r = new Recorder();
        TsDemuxer d = new TsDemuxer(r);
        d.feed(ByteBuffer.wrap(damaged));
        d.flush();
        assertThat(r.errors(TsError.CONTINUITY)).isEqualTo(3);
        assertThat(d.errorCount(TsError.CONTINUITY)).isEqualTo(3);
        assertThat(r.errorLog).containsOnly("CONTINUITY@256");
        assertThat(r.pes(VIDEO)).hasSizeBetween(27, 29); // the damaged PES are dropped, not delivered broken
        assertThat(r.pes(AUDIO)).hasSize(4);
    }

    @Test
    void aDuplicatePacketIsDroppedSilentlyButATriplicateIsAnError() {
        byte[] ts = sample();
        int p = packetsOf(ts, VIDEO)[10];
        byte[] packet = Arrays.copyOfRange(ts, p * 188, p * 188 + 188);
        byte[] twice = Packets.concat(Arrays.copyOf(ts, p * 188 + 188), packet, Arrays.copyOfRange(ts, p * 188 + 188, ts.length));
        Recorder r = demux(twice, 0);
        assertThat(r.errors).isEmpty();
        assertThat(r.pes).isEqualTo(demux(ts, 0).pes);

        byte[] thrice = Packets.concat(Arrays.copyOf(ts, p * 188 + 188), packet, packet,
                Arrays.copyOfRange(ts, p * 188 + 188, ts.length));
        assertThat(demux(thrice, 0).errorLog).containsExactly("CONTINUITY@256");
    }

    @Test
    void discontinuityIndicatorAllowsACounterJump() {
        Pat pat = new Pat(1, 0, List.of(new Pat.Program(1, 0x1000)));
        Pmt pmt = new Pmt(1, 0, 0x100, null, List.of(new Pmt.ElementaryStream(StreamType.AAC_ADTS, 0x100, null)));
        byte[] pes = new byte[14 + 160];
        PesHeader.encode(ByteBuffer.wrap(pes), 0xC0, pes.length - 6, 900, -1);
        byte[] stream = Packets.concat(
                psiPacket(0, 0, pat::encodeTo), psiPacket(0x1000, 0, pmt::encodeTo),
                Packets.stuffedPacket(0x100, true, 3, 0, pes),
                Packets.stuffedPacket(0x100, true, 9, 0x80, pes),   // jump with discontinuity_indicator
                Packets.stuffedPacket(0x100, true, 12, 0x00, pes)); // jump without it
        Recorder r = demux(stream, 0);
        assertThat(r.errorLog).containsExactly("CONTINUITY@256");
        assertThat(r.pes).hasSize(3); // a bounded PES in one packet survives a counter error before it
    }

    @Test
    void transportErrorAndReservedAdaptationFieldControlAreReported() {
        byte[] bad = Packets.packet(0x100, false, 0, new byte[0]);
        bad[1] |= (byte) 0x80; // transport_error_indicator
        byte[] reserved = Packets.packet(0x101, false, 0, new byte[0]);
        reserved[3] = 0x00; // adaptation_field_control '00'
        byte[] afTooLong = Packets.stuffedPacket(0x101, false, 0, 0, new byte[10]);
        afTooLong[4] = (byte) 183; // with payload: at most 182
        Recorder r = demux(Packets.concat(bad, reserved, afTooLong), 0);
        assertThat(r.errorLog).containsExactly("TRANSPORT_ERROR@256", "BAD_ADAPTATION_FIELD@257",
                "BAD_ADAPTATION_FIELD@257");
    }

    @Test
    void corruptPsiIsReportedAndRepeatedTablesAreReportedOnce() {
        Pat pat = new Pat(1, 0, List.of(new Pat.Program(1, 0x1000)));
        Pmt pmt1 = new Pmt(1, 0, 0x100, null, List.of(new Pmt.ElementaryStream(StreamType.H264, 0x100, null)));
        Pmt pmt2 = new Pmt(1, 1, 0x100, null, List.of(new Pmt.ElementaryStream(StreamType.H264, 0x100, null),
                new Pmt.ElementaryStream(StreamType.AAC_ADTS, 0x101, null)));
        byte[] corrupt = psiPacket(0x1000, 2, pmt2::encodeTo);
        corrupt[20] ^= 0x10;
        byte[] stream = Packets.concat(
                psiPacket(0, 0, pat::encodeTo), psiPacket(0x1000, 0, pmt1::encodeTo),
                psiPacket(0, 1, pat::encodeTo), psiPacket(0x1000, 1, pmt1::encodeTo),
                corrupt, psiPacket(0x1000, 3, pmt2::encodeTo));
        Recorder r = demux(stream, 0);
        assertThat(r.pats).containsExactly(pat);
        assertThat(r.pmts).containsExactly(pmt1, pmt2);
        assertThat(r.errorLog).containsExactly("BAD_PSI@4096");
    }

    @Test
    void badPesStartIsReported() {
        Pat pat = new Pat(1, 0, List.of(new Pat.Program(1, 0x1000)));
        Pmt pmt = new Pmt(1, 0, 0x100, null, List.of(new Pmt.ElementaryStream(StreamType.H264, 0x100, null)));
        byte[] notPes = new byte[184];
        notPes[2] = 2; // 00 00 02: no start code
        Recorder r = demux(Packets.concat(psiPacket(0, 0, pat::encodeTo), psiPacket(0x1000, 0, pmt::encodeTo),
                Packets.packet(0x100, true, 0, notPes)), 0);
        assertThat(r.errorLog).containsExactly("BAD_PES@256");
    }

    interface SectionWriter {
        void encodeTo(ByteBuffer out);
    }

    static byte[] psiPacket(int pid, int cc, SectionWriter section) {
        ByteBuffer b = ByteBuffer.allocate(184);
        b.put((byte) 0);
        section.encodeTo(b);
        return Packets.packet(pid, true, cc, Arrays.copyOf(b.array(), b.position()));
    }

    static int[] packetsOf(byte[] ts, int pid) {
        return java.util.stream.IntStream.range(0, ts.length / 188)
                .filter(i -> TsPacket.pid(ByteBuffer.wrap(ts), i * 188) == pid
                        && !TsPacket.payloadUnitStart(ByteBuffer.wrap(ts), i * 188))
                .toArray();
    }

    static byte[] without(byte[] ts, int[] packets) {
        ByteBuffer out = ByteBuffer.allocate(ts.length - packets.length * 188);
        for (int i = 0; i < ts.length / 188; i++) {
            final int index = i;
            if (Arrays.stream(packets).noneMatch(p -> p == index)) {
                out.put(ts, i * 188, 188);
            }
        }
        return out.array();
    }
}
