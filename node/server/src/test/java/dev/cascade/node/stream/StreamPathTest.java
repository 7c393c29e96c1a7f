package dev.cascade.node.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.mpegts.StreamType;
import dev.cascade.protocol.mpegts.TsMuxer;
import dev.cascade.protocol.mpegts.TsPacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packet path without sockets: TS made by our muxer goes in, a capturing subscription records
 * what comes out (stages tested as jitsi's NodeTestExtensions do).
 */
class StreamPathTest {
    static final int VIDEO = 0x100;

    /** Captures the packets written to it; can be told to refuse (a full send buffer). */
    static final class Capture extends Subscription {
        final List<ByteBuffer> packets = new ArrayList<>();
        boolean full;

        @Override
        protected int write(ByteBuffer buf, int offset, long address, int length) {
            if (full) {
                return FULL;
            }
            byte[] bytes = new com.sun.jna.Pointer(address).getByteArray(0, length);
            for (int off = 0; off < length; off += TsPacket.SIZE) {
                packets.add(ByteBuffer.wrap(bytes, off, TsPacket.SIZE).slice());
            }
            return SENT;
        }

        @Override
        public String kind() {
            return "viewer";
        }

        @Override
        protected void closeTransport() {}

        int pusiOnVideo() {
            return (int) packets.stream().filter(p -> TsPacket.pid(p, 0) == VIDEO && TsPacket.payloadUnitStart(p, 0)).count();
        }

        int firstVideoNalType() {
            for (ByteBuffer p : packets) {
                if (TsPacket.pid(p, 0) == VIDEO && TsPacket.payloadUnitStart(p, 0)) {
                    int off = TsPacket.payloadOffset(p, 0);
                    int pesHeader = 9 + (p.get(off + 8) & 0xFF);
                    int nal = off + pesHeader + 4; // after the 4-byte start code
                    return p.get(nal) & 0x1F;
                }
            }
            return -1;
        }
    }

    private final StreamHost host = new TestHost();
    private final TsMuxer muxer = new TsMuxer(List.of(new TsMuxer.Track(VIDEO, StreamType.H264, 0xE0, new byte[0])), 0x1000, VIDEO);
    private final Stream stream = new Stream("live/t", host);

    /** One access unit: an IDR (type 5) or a non-IDR slice (type 1), 1000 bytes. */
    private void frame(int index, boolean idr) {
        byte[] au = new byte[1000];
        au[3] = 1;
        au[4] = (byte) (idr ? 0x65 : 0x41);
        ByteBuffer out = ByteBuffer.allocateDirect(muxer.maxBytesFor(au.length) + 2 * TsPacket.SIZE);
        if (idr) {
            muxer.writePsi(out);
        }
        muxer.writeAccessUnit(out, VIDEO, 90_000L + index * 3000L, 90_000L + index * 3000L, idr, ByteBuffer.wrap(au));
        out.flip();
        long address = dev.cascade.node.srt.Srt.address(out);
        for (int off = 0; off < out.limit(); off += 1316) {
            stream.onData(out, address, off, Math.min(1316, out.limit() - off));
        }
    }

    /** PAT and PMT repeated mid-GOP, as encoders do every 100 ms. */
    private void psi() {
        ByteBuffer out = ByteBuffer.allocateDirect(4 * TsPacket.SIZE);
        muxer.writePsi(out);
        out.flip();
        stream.onData(out, dev.cascade.node.srt.Srt.address(out), 0, out.limit());
    }

    @Test
    void aLateSubscriberStartsOnTheCachedKeyframeWithPatAndPmtFirst() {
        frame(0, true);
        frame(1, false);
        frame(2, false);
        frame(3, true);
        frame(4, false);
        Capture late = new Capture();
        stream.addSubscriber(late);
        assertThat(TsPacket.pid(late.packets.get(0), 0)).as("PAT first").isEqualTo(0);
        assertThat(TsPacket.pid(late.packets.get(1), 0)).as("then PMT").isEqualTo(0x1000);
        assertThat(late.firstVideoNalType()).as("first frame is the IDR").isEqualTo(5);
        assertThat(late.pusiOnVideo()).as("frames 3 and 4 from the GOP cache").isEqualTo(2);
        frame(5, false);
        assertThat(late.pusiOnVideo()).isEqualTo(3);
        assertThat(stream.keyframes()).isEqualTo(2);
    }

    @Test
    void aSubscriberBeforeAnyKeyframeWaitsForOne() {
        frame(0, false);
        Capture early = new Capture();
        stream.addSubscriber(early);
        frame(1, false);
        assertThat(early.packets).isEmpty();
        frame(2, true);
        assertThat(early.firstVideoNalType()).isEqualTo(5);
    }

    @Test
    void aFullSubscriberDropsUntilTheNextKeyframeAndOthersGetEverything() {
        Capture slow = new Capture();
        Capture fine = new Capture();
        frame(0, true);
        stream.addSubscriber(slow);
        stream.addSubscriber(fine);
        slow.full = true;
        frame(1, false);
        slow.full = false;
        frame(2, false);
        int before = slow.pusiOnVideo();
        assertThat(before).as("slow viewer got only frame 0, nothing after the drop").isEqualTo(1);
        frame(3, true);
        assertThat(slow.pusiOnVideo()).as("resumes on the next keyframe").isEqualTo(2);
        assertThat(slow.packetsDropped).isPositive();
        assertThat(fine.pusiOnVideo()).isEqualTo(4);
        assertThat(fine.packetsDropped).isZero();
    }

    @Test
    void aJoinerWhoseCatchUpDoesNotFitWaitsForTheNextKeyframeInsteadOfReplayingTheGop() {
        frame(0, true);
        Capture joiner = new Capture();
        joiner.full = true;
        stream.addSubscriber(joiner);
        joiner.full = false;
        frame(1, false);
        frame(2, false);
        assertThat(joiner.packets).as("no replay of the cached GOP at every message").isEmpty();
        frame(3, true);
        assertThat(joiner.firstVideoNalType()).isEqualTo(5);
        assertThat(joiner.pusiOnVideo()).isEqualTo(1);
    }

    @Test
    void replayedPatAndPmtRunIntoTheGopsContinuityCounters() {
        frame(0, true);
        psi();
        frame(1, false);
        psi(); // the cached GOP now holds two PAT/PMT repetitions, older than the latest copy
        Capture c = new Capture();
        stream.addSubscriber(c);
        int[] last = new int[8192];
        java.util.Arrays.fill(last, -1);
        int errors = 0;
        for (ByteBuffer p : c.packets) {
            int pid = TsPacket.pid(p, 0);
            int cc = TsPacket.continuityCounter(p, 0);
            if (last[pid] >= 0 && cc != ((last[pid] + 1) & 0x0F)) {
                errors++;
            }
            last[pid] = cc;
        }
        assertThat(errors).isZero();
    }

    @Test
    void continuityErrorsAreCountedButPacketsStillFlow() {
        frame(0, true);
        Capture c = new Capture();
        stream.addSubscriber(c);
        // Skip a frame's packets at the muxer level: write one AU to a buffer we never feed.
        ByteBuffer lost = ByteBuffer.allocateDirect(muxer.maxBytesFor(1000));
        muxer.writeAccessUnit(lost, VIDEO, 0, 0, false, ByteBuffer.wrap(new byte[1000]));
        frame(2, false);
        assertThat(stream.continuityErrors()).isEqualTo(1);
        assertThat(c.pusiOnVideo()).isEqualTo(2);
    }
}
