package dev.cascade.node.egress.whep;

import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * One outgoing RTP track of a stream (its video or its audio): one SSRC, one sequence space, and a
 * history ring of the packets made, indexed by an extended (never wrapping) sequence number, that
 * serves NACK retransmissions and keyframe starts. Loop thread only.
 */
final class RtpTrack {
    static final int SLOT_SIZE = 1300;

    final boolean video;
    final int ssrc;
    final int clockRate;
    private final int firstSeq;
    private final int mask;
    final byte[][] slots;
    final int[] lengths;
    private final long[] index;
    final ByteBuffer[] buffers;
    /** Extended sequence number of the next packet. */
    long next;
    /** Packets sent, for sender reports. */
    long packets;
    long octets;
    /** RTP timestamp and wall time of the newest packet, for sender reports. */
    int lastTimestamp;
    long lastWallNanos;

    RtpTrack(boolean video, int clockRate, int history) {
        SecureRandom rnd = new SecureRandom();
        this.video = video;
        this.clockRate = clockRate;
        this.ssrc = rnd.nextInt();
        this.firstSeq = rnd.nextInt(1 << 16);
        this.mask = history - 1;
        this.slots = new byte[history][SLOT_SIZE];
        this.lengths = new int[history];
        this.index = new long[history];
        this.buffers = new ByteBuffer[history];
        for (int i = 0; i < history; i++) {
            buffers[i] = ByteBuffer.wrap(slots[i]);
            index[i] = -1;
        }
    }

    int slot(long extended) {
        return (int) (extended & mask);
    }

    int seq16(long extended) {
        return (int) ((firstSeq + extended) & 0xFFFF);
    }

    /** Marks the slot of {@link #next} as written with {@code length} bytes and advances. */
    int commit(int length, int timestamp, long wallNanos) {
        int s = slot(next);
        lengths[s] = length;
        index[s] = next;
        next++;
        packets++;
        octets += length - 12;
        lastTimestamp = timestamp;
        lastWallNanos = wallNanos;
        return s;
    }

    boolean holds(long extended) {
        return extended >= 0 && next - extended <= mask + 1 && index[slot(extended)] == extended;
    }

    /** The slot holding the packet with 16-bit sequence number {@code seq16}, or -1 if gone. */
    int find(int seq16) {
        long newest = next - 1;
        if (newest < 0) {
            return -1;
        }
        int back = (seq16(newest) - seq16) & 0xFFFF;
        long extended = newest - back;
        return holds(extended) ? slot(extended) : -1;
    }
}
