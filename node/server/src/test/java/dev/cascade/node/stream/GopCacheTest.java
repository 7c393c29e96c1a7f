package dev.cascade.node.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.mpegts.TsPacket;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class GopCacheTest {
    private final ByteBuffer packet = ByteBuffer.allocateDirect(TsPacket.SIZE);

    private void append(GopCache c, int n, int marker) {
        for (int i = 0; i < n; i++) {
            packet.put(4, (byte) marker);
            c.append(packet, 0);
        }
    }

    @Test
    void nothingIsCachedBeforeTheFirstVideoPesStart() {
        GopCache c = new GopCache(1 << 20);
        append(c, 10, 1);
        assertThat(c.size()).isZero();
        assertThat(c.valid()).isFalse();
    }

    @Test
    void keyframeDecisionDropsEverythingBeforeItsPes() {
        GopCache c = new GopCache(1 << 20);
        c.markPesStart();
        append(c, 3, 1);
        c.restartAtMark();
        append(c, 2, 2);
        c.markPesStart();
        append(c, 1, 3);
        c.restartAtMark();
        assertThat(c.valid()).isTrue();
        assertThat(c.size()).isEqualTo(TsPacket.SIZE);
        assertThat(c.buffer().get(4)).isEqualTo((byte) 3);
    }

    @Test
    void growsOnDemandUpToTheLimitThenOverflowsUntilTheNextKeyframe() {
        int max = GopCache.INITIAL_BYTES * 4;
        GopCache c = new GopCache(max);
        assertThat(c.capacity()).isLessThanOrEqualTo(GopCache.INITIAL_BYTES);
        c.markPesStart();
        c.restartAtMark();
        int fits = max / TsPacket.SIZE;
        append(c, fits, 7);
        assertThat(c.size()).isEqualTo(fits * TsPacket.SIZE);
        assertThat(c.buffer().get(4)).as("content survives growth").isEqualTo((byte) 7);
        append(c, 1, 7);
        assertThat(c.valid()).isFalse();
        assertThat(c.overflows).isEqualTo(1);
        append(c, 5, 7);
        assertThat(c.size()).as("not recording until the next video PES").isZero();
        c.markPesStart();
        append(c, 1, 8);
        c.restartAtMark();
        assertThat(c.valid()).isTrue();
    }
}
