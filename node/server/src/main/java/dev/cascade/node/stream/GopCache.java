package dev.cascade.node.stream;

import dev.cascade.protocol.mpegts.TsPacket;
import java.nio.ByteBuffer;

/**
 * The packets of the current GOP, from the first packet of the latest keyframe's PES onwards, so a
 * new subscriber starts decoding at once instead of waiting up to a GOP for the next keyframe.
 *
 * <p>Whether a video PES is a keyframe is only known a few bytes into it (the first VCL NAL type),
 * so the cache records where each video PES starts ({@link #markPesStart}) and, when the observer
 * decides that PES is a keyframe, drops everything before the mark ({@link #restartAtMark}). Until
 * the first keyframe it records tentatively from each PES start. A GOP larger than the capacity
 * makes the cache invalid until the next keyframe: a new subscriber then waits for it.
 */
final class GopCache {
    /** First allocation: a 2 s GOP at ~1 Mbps. Most streams never need more than a few times this. */
    static final int INITIAL_BYTES = 256 * 1024;
    private final int maxBytes;
    private ByteBuffer buf;
    private long address;
    private int size;
    private int mark;
    private boolean valid;
    private boolean recording;
    long overflows;

    /**
     * @param maxBytes the most a GOP may take ({@code stream.gopCacheBytes}); the buffer starts small
     *     and doubles when a GOP outgrows it, so idle or low-rate streams do not hold megabytes of
     *     direct memory each
     */
    GopCache(int maxBytes) {
        this.maxBytes = maxBytes - maxBytes % TsPacket.SIZE;
        allocate(Math.min(this.maxBytes, INITIAL_BYTES - INITIAL_BYTES % TsPacket.SIZE));
    }

    private void allocate(int capacity) {
        ByteBuffer next = ByteBuffer.allocateDirect(capacity);
        if (buf != null && size > 0) {
            next.put(0, buf, 0, size);
        }
        buf = next;
        address = dev.cascade.node.srt.Srt.address(next);
    }

    void clear() {
        size = 0;
        mark = 0;
        valid = false;
        recording = false;
    }

    /** The next appended packet starts a video PES. */
    void markPesStart() {
        if (!valid) {
            size = 0;
            recording = true;
        }
        mark = size;
    }

    void append(ByteBuffer src, int offset) {
        if (!recording) {
            return;
        }
        if (size + TsPacket.SIZE > buf.capacity()) {
            if (buf.capacity() >= maxBytes) {
                overflows++;
                clear();
                return;
            }
            int grown = Math.min(maxBytes, buf.capacity() * 2);
            allocate(grown - grown % TsPacket.SIZE);
        }
        buf.put(size, src, offset, TsPacket.SIZE);
        size += TsPacket.SIZE;
    }

    /** The PES at the mark is a keyframe: it becomes the start of the cache. */
    void restartAtMark() {
        if (!recording) {
            return;
        }
        if (mark > 0) {
            buf.put(0, buf, mark, size - mark);
            size -= mark;
            mark = 0;
        }
        valid = true;
    }

    boolean valid() {
        return valid;
    }

    int capacity() {
        return buf.capacity();
    }

    int size() {
        return size;
    }

    ByteBuffer buffer() {
        return buf;
    }

    long address() {
        return address;
    }
}
