package dev.cascade.protocol.rtp;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes one RTP packet at a time straight into the caller's (pooled) buffer: fixed header,
 * optional RFC 8285 one-byte header extension elements, then the payload, which the caller may
 * copy in with {@link #payload} or write in place after {@link #beginPayload} (the H.264
 * packetizer does), so every byte is written once. {@link #finish} checks that {@code tailRoom}
 * bytes remain after the packet, so SRTP can append its authentication tag in place (jitsi's
 * {@code Packet.kt} reserves room the same way).
 *
 * <pre>
 *   RtpWriter w = new RtpWriter(RtpWriter.SRTP_TAIL_ROOM);      // once per sender
 *   w.start(buf, 102, marker, seq, ts, ssrc)
 *    .absSendTime(2, AbsSendTime.fromNanos(System.nanoTime()))
 *    .payload(nal);
 *   int length = w.finish();                                   // packet is buf[start, start + length)
 * </pre>
 *
 * <p>No allocation. Not thread-safe; reuse one per sending context. CSRCs, padding and two-byte
 * extension elements are not written (a forwarder does not need them).
 */
public final class RtpWriter {
    /** Enough for every SRTP profile WebRTC uses: 10-byte HMAC-SHA1-80 tag, 16-byte AES-GCM tag. */
    public static final int SRTP_TAIL_ROOM = 16;

    private static final int IDLE = 0;
    private static final int HEADER = 1;
    private static final int PAYLOAD = 2;

    private final int tailRoom;
    private ByteBuffer out;
    private int start;
    private int extensionStart = -1;
    private int payloadStart;
    private int state = IDLE;

    public RtpWriter(int tailRoom) {
        if (tailRoom < 0) {
            throw new IllegalArgumentException("tailRoom " + tailRoom);
        }
        this.tailRoom = tailRoom;
    }

    /** Writes the 12-byte fixed header (version 2, no padding, no CSRC) at {@code out}'s position. */
    public RtpWriter start(ByteBuffer out, int payloadType, boolean marker, int sequenceNumber, int timestamp,
                           int ssrc) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
        if (out.remaining() < RtpPacket.FIXED_HEADER_SIZE + tailRoom) {
            throw new BufferOverflowException();
        }
        this.out = out;
        this.start = out.position();
        this.extensionStart = -1;
        out.put((byte) 0x80);
        out.put((byte) ((marker ? 0x80 : 0) | payloadType));
        out.putShort((short) sequenceNumber);
        out.putInt(timestamp);
        out.putInt(ssrc);
        state = HEADER;
        return this;
    }

    /**
     * Appends a one-byte header extension element (RFC 8285 4.2) carrying the low {@code size}
     * bytes of {@code value}, big-endian. Allocation-free form for small values.
     *
     * @param id   1..14
     * @param size 1..8
     */
    public RtpWriter extension(int id, int size, long value) {
        if (size < 1 || size > 8) {
            throw new IllegalArgumentException("size " + size);
        }
        openElement(id, size);
        for (int shift = 8 * (size - 1); shift >= 0; shift -= 8) {
            out.put((byte) (value >>> shift));
        }
        return this;
    }

    /** Appends a one-byte header extension element with {@code data}'s remaining bytes (1..16), not moving {@code data}. */
    public RtpWriter extension(int id, ByteBuffer data) {
        int n = data.remaining();
        if (n < 1 || n > 16) {
            throw new IllegalArgumentException("one-byte extension elements carry 1..16 bytes, not " + n);
        }
        openElement(id, n);
        out.put(out.position(), data, data.position(), n);
        out.position(out.position() + n);
        return this;
    }

    /** Appends the abs-send-time element ({@link AbsSendTime}). */
    public RtpWriter absSendTime(int id, int sendTime24) {
        return extension(id, AbsSendTime.SIZE, sendTime24 & 0xFFFFFF);
    }

    private void openElement(int id, int n) {
        if (state != HEADER) {
            throw new IllegalStateException("extensions go after start() and before the payload");
        }
        if (id < 1 || id > 14) {
            throw new IllegalArgumentException("one-byte extension id " + id);
        }
        int needed = (extensionStart < 0 ? 4 : 0) + 1 + n + 3 + tailRoom;
        if (out.remaining() < needed) {
            throw new BufferOverflowException();
        }
        if (extensionStart < 0) {
            extensionStart = out.position();
            out.putShort((short) RtpPacket.PROFILE_ONE_BYTE);
            out.putShort((short) 0);
            out.put(start, (byte) (out.get(start) | 0x10));
        }
        out.put((byte) ((id << 4) | (n - 1)));
    }

    /**
     * Ends the header (pads the extension block to 32 bits and fills in its length) and returns the
     * absolute offset where the payload starts; the buffer's position is there. Write at most
     * {@link #maxPayload} bytes, then call {@link #finish}.
     */
    public int beginPayload() {
        if (state == PAYLOAD) {
            return payloadStart;
        }
        if (state != HEADER) {
            throw new IllegalStateException("start() first");
        }
        if (extensionStart >= 0) {
            int dataLength = out.position() - extensionStart - 4;
            int pad = (4 - (dataLength & 3)) & 3;
            for (int i = 0; i < pad; i++) {
                out.put((byte) 0);
            }
            out.putShort(extensionStart + 2, (short) ((dataLength + pad) / 4));
        }
        payloadStart = out.position();
        state = PAYLOAD;
        return payloadStart;
    }

    /** Payload bytes that still fit before the tail room, from the buffer's current position. */
    public int maxPayload() {
        if (state == HEADER) {
            int pending = extensionStart >= 0 ? (4 - ((out.position() - extensionStart) & 3)) & 3 : 0;
            return Math.max(0, out.remaining() - pending - tailRoom);
        }
        return Math.max(0, out.remaining() - tailRoom);
    }

    /** Copies {@code payload}'s remaining bytes after the header, without moving {@code payload}. */
    public RtpWriter payload(ByteBuffer payload) {
        beginPayload();
        int n = payload.remaining();
        if (out.remaining() - tailRoom < n) {
            throw new BufferOverflowException();
        }
        out.put(out.position(), payload, payload.position(), n);
        out.position(out.position() + n);
        return this;
    }

    /**
     * Completes the packet: the buffer's position is just after it, with at least {@code tailRoom}
     * bytes before its limit.
     *
     * @return the packet length; the packet starts where {@link #start} was called
     */
    public int finish() {
        beginPayload();
        if (out.remaining() < tailRoom) {
            throw new BufferOverflowException();
        }
        state = IDLE;
        int length = out.position() - start;
        out = null;
        return length;
    }

    /** Absolute offset of the packet being written (or last written). */
    public int packetStart() {
        return start;
    }
}
