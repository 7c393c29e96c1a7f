package dev.cascade.node.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.mpegts.TsPacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TsAlignerTest {
    private final TsAligner aligner = new TsAligner();
    private final List<Integer> pids = new ArrayList<>();
    private final TsAligner.Sink sink = (buf, address, off, count) -> {
        for (int i = 0; i < count; i++) {
            pids.add(TsPacket.pid(buf, off + i * TsPacket.SIZE));
        }
    };

    private static byte[] packets(int firstPid, int count) {
        byte[] b = new byte[count * TsPacket.SIZE];
        for (int i = 0; i < count; i++) {
            int p = i * TsPacket.SIZE;
            b[p] = TsPacket.SYNC;
            b[p + 1] = (byte) ((firstPid + i) >> 8);
            b[p + 2] = (byte) (firstPid + i);
            b[p + 3] = 0x10;
        }
        return b;
    }

    private void feed(byte[] bytes) {
        ByteBuffer d = ByteBuffer.allocateDirect(bytes.length);
        d.put(0, bytes);
        aligner.feed(d, 0, 0, bytes.length, sink);
    }

    @Test
    void alignedMessagesPassStraightThrough() {
        feed(packets(100, 7));
        assertThat(pids).containsExactly(100, 101, 102, 103, 104, 105, 106);
        assertThat(aligner.syncLossEvents).isZero();
    }

    @Test
    void packetSplitAcrossMessagesIsReassembled() {
        byte[] all = packets(200, 3);
        byte[] a = java.util.Arrays.copyOfRange(all, 0, 300);
        byte[] b = java.util.Arrays.copyOfRange(all, 300, all.length);
        feed(a);
        feed(b);
        assertThat(pids).containsExactly(200, 201, 202);
        assertThat(aligner.syncLossEvents).isZero();
    }

    @Test
    void garbageBetweenPacketsIsOneSyncLossAndLosesNoGoodPacket() {
        feed(packets(300, 2));
        byte[] junk = new byte[77];
        new Random(1).nextBytes(junk);
        for (int i = 0; i < junk.length; i++) {
            if (junk[i] == TsPacket.SYNC) {
                junk[i] = 0;
            }
        }
        feed(junk);
        feed(packets(400, 4));
        assertThat(pids).containsExactly(300, 301, 400, 401, 402, 403);
        assertThat(aligner.syncLossEvents).isEqualTo(1);
        assertThat(aligner.bytesSkipped).isEqualTo(77);
        assertThat(aligner.skippedSinceLastPacket).isZero();
    }

    @Test
    void onlyGarbageGrowsTheNonTsCounter() {
        byte[] junk = new byte[5000];
        java.util.Arrays.fill(junk, (byte) 0x11);
        feed(junk);
        assertThat(pids).isEmpty();
        assertThat(aligner.skippedSinceLastPacket).isGreaterThan(4000);
    }
}
