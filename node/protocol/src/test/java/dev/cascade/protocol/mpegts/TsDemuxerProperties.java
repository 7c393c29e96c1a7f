package dev.cascade.protocol.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class TsDemuxerProperties {
    private static final byte[] SAMPLE = TsDemuxerTest.sample();

    @Property(tries = 1000)
    void randomBytesNeverThrow(@ForAll @Size(max = 2000) byte[] bytes, @ForAll long chunkSeed) {
        feedInChunks(bytes, chunkSeed);
    }

    /** Random bytes rarely look like packets; corrupting a real stream reaches PSI, PES and resync code. */
    @Property(tries = 300)
    void corruptedRealStreamNeverThrows(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int edits) {
        Random r = new Random(seed);
        byte[] ts = SAMPLE.clone();
        for (int i = 0; i < edits; i++) {
            int at = r.nextInt(ts.length);
            switch (r.nextInt(4)) {
                case 0 -> ts[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> ts[at] = (byte) r.nextInt(256);
                case 2 -> ts[at - at % 188 + 1 + r.nextInt(4)] = (byte) r.nextInt(256); // header bytes
                default -> ts[at - at % 188 + 4 + r.nextInt(4)] = (byte) r.nextInt(256); // AF/pointer/PES start
            }
        }
        Recorder rec = feedInChunks(ts, seed);
        assertThat(rec.pes.size()).isLessThanOrEqualTo(34 + edits);
    }

    @Property(tries = 100)
    void chunkingNeverChangesTheOutput(@ForAll long chunkSeed) {
        assertThat(feedInChunks(SAMPLE, chunkSeed).pes).isEqualTo(TsDemuxerTest.demux(SAMPLE, 0).pes);
    }

    private static Recorder feedInChunks(byte[] bytes, long chunkSeed) {
        Recorder rec = new Recorder();
        TsDemuxer d = new TsDemuxer(rec);
        Random r = new Random(chunkSeed);
        for (int p = 0; p < bytes.length; ) {
            int n = Math.min(bytes.length - p, r.nextInt(3) == 0 ? r.nextInt(8) : r.nextInt(1000));
            d.feed(ByteBuffer.wrap(bytes, p, n));
            p += n;
        }
        d.flush();
        return rec;
    }
}
