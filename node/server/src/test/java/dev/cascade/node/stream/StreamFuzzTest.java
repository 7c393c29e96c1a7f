package dev.cascade.node.stream;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.cascade.node.srt.Srt;
import dev.cascade.protocol.mpegts.StreamType;
import dev.cascade.protocol.mpegts.TsMuxer;
import dev.cascade.protocol.mpegts.TsPacket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever a publisher sends, the packet path never throws: random bytes, and valid TS (PAT, PMT,
 * H.264 PES made by our muxer) with random bytes flipped, cut or inserted. Fixed seeds, so a
 * failure reproduces.
 */
class StreamFuzzTest {
    private final StreamHost host = new TestHost();

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void mutatedTransportStreamsNeverThrow(long seed) {
        Random rnd = new Random(seed);
        Stream stream = new Stream("live/fuzz", host);
        stream.addSubscriber(new StreamPathTest.Capture());
        TsMuxer muxer = new TsMuxer(List.of(
                new TsMuxer.Track(0x100, StreamType.H264, 0xE0, new byte[0]),
                new TsMuxer.Track(0x101, StreamType.AAC_ADTS, 0xC0, new byte[0])), 0x1000, 0x100);
        ByteBuffer msg = ByteBuffer.allocateDirect(4096);
        long address = Srt.address(msg);
        for (int frame = 0; frame < 300; frame++) {
            byte[] au = new byte[200 + rnd.nextInt(3000)];
            rnd.nextBytes(au);
            au[0] = 0;
            au[1] = 0;
            au[2] = 1;
            au[3] = (byte) (frame % 30 == 0 ? 0x65 : 0x41);
            ByteBuffer out = ByteBuffer.allocate(muxer.maxBytesFor(au.length) + 4 * TsPacket.SIZE);
            if (frame % 10 == 0) {
                muxer.writePsi(out);
            }
            muxer.writeAccessUnit(out, frame % 3 == 0 ? 0x101 : 0x100, frame * 3000L, frame * 3000L,
                    frame % 30 == 0, ByteBuffer.wrap(au));
            byte[] bytes = java.util.Arrays.copyOf(out.array(), out.position());
            for (int off = 0; off < bytes.length; ) {
                int len = Math.min(bytes.length - off, 1 + rnd.nextInt(1456));
                msg.clear();
                msg.put(0, bytes, off, len);
                int mutations = rnd.nextInt(4);
                for (int m = 0; m < mutations; m++) {
                    msg.put(rnd.nextInt(len), (byte) rnd.nextInt(256));
                }
                int sent = len;
                assertThatCode(() -> stream.onData(msg, address, 0, sent)).doesNotThrowAnyException();
                off += len;
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14})
    void randomBytesNeverThrow(long seed) {
        Random rnd = new Random(seed);
        Stream stream = new Stream("live/noise", host);
        stream.addSubscriber(new StreamPathTest.Capture());
        ByteBuffer msg = ByteBuffer.allocateDirect(1456);
        long address = Srt.address(msg);
        byte[] junk = new byte[1456];
        for (int i = 0; i < 2000; i++) {
            rnd.nextBytes(junk);
            int len = 1 + rnd.nextInt(junk.length);
            if (rnd.nextBoolean()) {
                for (int p = 0; p < len; p += TsPacket.SIZE) {
                    junk[p] = TsPacket.SYNC; // looks like TS: exercises the observer, not only the aligner
                }
            }
            msg.put(0, junk, 0, len);
            assertThatCode(() -> stream.onData(msg, address, 0, len)).doesNotThrowAnyException();
        }
    }
}
