package dev.cascade.webrtc;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A reusable packet buffer for jitsi-srtp, which transforms packets in place: the array is sized
 * with tail room for the SRTP authentication tag so protecting a packet never reallocates.
 */
public final class PacketBuffer implements ByteArrayBuffer {
    private byte[] buffer;
    private int offset;
    private int length;

    public PacketBuffer(int capacity) {
        this.buffer = new byte[capacity];
    }

    /** Points the buffer at {@code length} bytes already in {@link #getBuffer()} from offset 0. */
    public PacketBuffer set(int length) {
        this.offset = 0;
        this.length = length;
        return this;
    }

    @Override
    public byte[] getBuffer() {
        return buffer;
    }

    @Override
    public int getOffset() {
        return offset;
    }

    @Override
    public int getLength() {
        return length;
    }

    @Override
    public void setLength(int len) {
        length = len;
    }

    @Override
    public void setOffset(int off) {
        offset = off;
    }

    @Override
    public boolean isInvalid() {
        return false;
    }

    @Override
    public void readRegionToBuff(int off, int len, byte[] out) {
        System.arraycopy(buffer, offset + off, out, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (offset + length + howMuch > buffer.length) {
            byte[] bigger = new byte[offset + length + howMuch];
            System.arraycopy(buffer, 0, bigger, 0, buffer.length);
            buffer = bigger;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        length = Math.max(0, length - len);
    }
}
