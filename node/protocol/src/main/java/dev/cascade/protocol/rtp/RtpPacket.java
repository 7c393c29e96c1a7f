package dev.cascade.protocol.rtp;

import java.nio.ByteBuffer;

/**
 * Flyweight accessors over one RTP packet held in a {@link ByteBuffer} at an absolute offset and
 * length (the buffer's position is ignored; {@code off + len} must not pass its limit, which bounds
 * absolute reads), RFC 3550 section 5.1. No allocation: these
 * run on the per-packet path, so the getters do not validate; call {@link #headerLength} (returns
 * -1) or {@link #checkHeader} (throws) once per packet before trusting the offsets.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |           length              |   if X (5.3.1): length
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   in 32-bit words, not
 * |                        header extension                       |   counting this word
 * |                             ....                              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            payload  ....  | padding | count   |   if P: the last byte counts
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   the padding, itself included
 * </pre>
 *
 * <p>Header extensions use the general mechanism of RFC 8285 section 4: profile 0xBEDE for one-byte
 * elements, 0x100 (with four application bits) for two-byte elements:
 *
 * <pre>
 *  one-byte (4.2):  0 1 2 3 4 5 6 7      two-byte (4.3):  0                   1
 *                  +-+-+-+-+-+-+-+-+                      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
 *                  |  ID   |  len  |  data: len+1 bytes  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                  +-+-+-+-+-+-+-+-+  ID 0: one padding  |       ID      |     length    |  data: length bytes
 *                                     byte; ID 15: stop  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  ID 0: one padding byte
 * </pre>
 *
 * <p>32-bit fields (timestamp, SSRC, CSRC) are returned as {@code int} bit patterns; use
 * {@link Integer#toUnsignedLong} to print them. Sequence numbers are 0..65535.
 */
public final class RtpPacket {
    public static final int VERSION = 2;
    public static final int FIXED_HEADER_SIZE = 12;
    /** RFC 8285 4.2: the "defined by profile" value of a one-byte header extension block. */
    public static final int PROFILE_ONE_BYTE = 0xBEDE;
    /** RFC 8285 4.3: the upper 12 bits of the "defined by profile" value of a two-byte block. */
    public static final int PROFILE_TWO_BYTE = 0x1000;

    private RtpPacket() {}

    /**
     * Cheap check before parsing (mediasoup's {@code IsRtp}): at least a fixed header, version 2, and
     * a second byte outside 192..223, which RFC 5761 section 4 leaves to RTCP on a muxed port.
     */
    public static boolean isRtp(ByteBuffer b, int off, int len) {
        if (len < FIXED_HEADER_SIZE || (b.get(off) & 0xC0) != 0x80) {
            return false;
        }
        int second = b.get(off + 1) & 0xFF;
        return second < 192 || second > 223;
    }

    public static int version(ByteBuffer b, int off) {
        return (b.get(off) >> 6) & 0x03;
    }

    public static boolean padding(ByteBuffer b, int off) {
        return (b.get(off) & 0x20) != 0;
    }

    public static boolean extension(ByteBuffer b, int off) {
        return (b.get(off) & 0x10) != 0;
    }

    public static int csrcCount(ByteBuffer b, int off) {
        return b.get(off) & 0x0F;
    }

    public static boolean marker(ByteBuffer b, int off) {
        return (b.get(off + 1) & 0x80) != 0;
    }

    public static int payloadType(ByteBuffer b, int off) {
        return b.get(off + 1) & 0x7F;
    }

    public static int sequenceNumber(ByteBuffer b, int off) {
        return b.getShort(off + 2) & 0xFFFF;
    }

    public static int timestamp(ByteBuffer b, int off) {
        return b.getInt(off + 4);
    }

    public static int ssrc(ByteBuffer b, int off) {
        return b.getInt(off + 8);
    }

    /** The {@code i}-th CSRC, {@code 0 <= i < csrcCount}. */
    public static int csrc(ByteBuffer b, int off, int i) {
        return b.getInt(off + FIXED_HEADER_SIZE + 4 * i);
    }

    public static void setMarker(ByteBuffer b, int off, boolean marker) {
        int v = b.get(off + 1);
        b.put(off + 1, (byte) (marker ? v | 0x80 : v & 0x7F));
    }

    public static void setPayloadType(ByteBuffer b, int off, int payloadType) {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type " + payloadType);
        }
        b.put(off + 1, (byte) ((b.get(off + 1) & 0x80) | payloadType));
    }

    public static void setSequenceNumber(ByteBuffer b, int off, int sequenceNumber) {
        b.putShort(off + 2, (short) sequenceNumber);
    }

    public static void setTimestamp(ByteBuffer b, int off, int timestamp) {
        b.putInt(off + 4, timestamp);
    }

    public static void setSsrc(ByteBuffer b, int off, int ssrc) {
        b.putInt(off + 8, ssrc);
    }

    /**
     * Header length in bytes: fixed header, CSRCs and the header extension with its 4-byte
     * preamble. The payload starts at {@code off + headerLength}.
     *
     * @return -1 when the packet is not version 2 or is too short for its own header
     */
    public static int headerLength(ByteBuffer b, int off, int len) {
        if (len < FIXED_HEADER_SIZE) {
            return -1;
        }
        int first = b.get(off);
        if ((first & 0xC0) != 0x80) {
            return -1;
        }
        int h = FIXED_HEADER_SIZE + 4 * (first & 0x0F);
        if ((first & 0x10) != 0) {
            if (h + 4 > len) {
                return -1;
            }
            h += 4 + 4 * (b.getShort(off + h + 2) & 0xFFFF);
        }
        return h <= len ? h : -1;
    }

    /** Bytes of padding at the end (RFC 3550 5.1, P bit): the last byte when P is set, else 0. Unchecked. */
    public static int paddingLength(ByteBuffer b, int off, int len) {
        return padding(b, off) && len > 0 ? b.get(off + len - 1) & 0xFF : 0;
    }

    /** Absolute offset of the first payload byte, or -1 for a malformed header. */
    public static int payloadOffset(ByteBuffer b, int off, int len) {
        int h = headerLength(b, off, len);
        return h < 0 ? -1 : off + h;
    }

    /**
     * Payload length with padding removed, or -1 when the header is malformed or the padding count
     * is 0 or reaches into the header.
     */
    public static int payloadLength(ByteBuffer b, int off, int len) {
        int h = headerLength(b, off, len);
        if (h < 0) {
            return -1;
        }
        int pad = 0;
        if (padding(b, off)) {
            pad = b.get(off + len - 1) & 0xFF;
            if (pad == 0 || h + pad > len) {
                return -1;
            }
        }
        return len - h - pad;
    }

    /**
     * Validates what the getters rely on and returns {@link #headerLength}. Allocation-free unless
     * it throws.
     *
     * @throws RtpParseException naming the first problem found
     * @throws IllegalArgumentException when {@code [off, off + len)} is not inside the buffer's limit
     */
    public static int checkHeader(ByteBuffer b, int off, int len) {
        if (off < 0 || len < 0 || off > b.limit() - len) {
            throw new IllegalArgumentException("range " + off + "+" + len + " outside the buffer");
        }
        if (len < FIXED_HEADER_SIZE) {
            throw new RtpParseException("RTP packet of " + len + " bytes is shorter than the fixed header");
        }
        if (version(b, off) != VERSION) {
            throw new RtpParseException("RTP version " + version(b, off));
        }
        int h = FIXED_HEADER_SIZE + 4 * csrcCount(b, off);
        if (h > len) {
            throw new RtpParseException("RTP CSRC list overruns the packet");
        }
        if (extension(b, off)) {
            if (h + 4 > len) {
                throw new RtpParseException("RTP header extension preamble truncated");
            }
            h += 4 + 4 * (b.getShort(off + h + 2) & 0xFFFF);
            if (h > len) {
                throw new RtpParseException("RTP header extension overruns the packet");
            }
        }
        if (padding(b, off)) {
            int pad = b.get(off + len - 1) & 0xFF;
            if (pad == 0 || h + pad > len) {
                throw new RtpParseException("RTP padding count " + pad + " does not fit the payload");
            }
        }
        return h;
    }

    // ---- header extensions (RFC 8285) ----

    /** The "defined by profile" field of the header extension, or -1 when X is not set. Unchecked. */
    public static int extensionProfile(ByteBuffer b, int off) {
        if (!extension(b, off)) {
            return -1;
        }
        return b.getShort(off + FIXED_HEADER_SIZE + 4 * csrcCount(b, off)) & 0xFFFF;
    }

    /** Absolute offset of the header extension data (after its 4-byte preamble). Unchecked. */
    public static int extensionDataOffset(ByteBuffer b, int off) {
        return off + FIXED_HEADER_SIZE + 4 * csrcCount(b, off) + 4;
    }

    /** Bytes of header extension data (the length field times 4), 0 when X is not set. Unchecked. */
    public static int extensionDataLength(ByteBuffer b, int off) {
        if (!extension(b, off)) {
            return 0;
        }
        return 4 * (b.getShort(off + FIXED_HEADER_SIZE + 4 * csrcCount(b, off) + 2) & 0xFFFF);
    }

    /** Receives header extension elements from {@link #forEachExtension}. */
    @FunctionalInterface
    public interface ExtensionVisitor {
        /** @param dataOffset absolute offset of the element's data; {@code length} may be 0 for two-byte elements */
        void visit(int id, int dataOffset, int length);
    }

    /**
     * Visits the RFC 8285 elements of a packet whose header passed {@link #headerLength}, in wire
     * order, skipping padding. Stops quietly at a one-byte ID 15 (4.2) or at an element that
     * overruns the block. Does nothing without an extension or with a profile other than one-byte
     * or two-byte.
     */
    public static void forEachExtension(ByteBuffer b, int off, int len, ExtensionVisitor visitor) {
        int profile = extensionProfile(b, off);
        int p = extensionDataOffset(b, off);
        int end = p + extensionDataLength(b, off);
        if (profile == PROFILE_ONE_BYTE) {
            while (p < end) {
                int h = b.get(p) & 0xFF;
                int id = h >> 4;
                if (id == 0) {
                    p++;
                    continue;
                }
                if (id == 15) {
                    return;
                }
                int n = (h & 0x0F) + 1;
                if (p + 1 + n > end) {
                    return;
                }
                visitor.visit(id, p + 1, n);
                p += 1 + n;
            }
        } else if ((profile & 0xFFF0) == PROFILE_TWO_BYTE) {
            while (p < end) {
                int id = b.get(p) & 0xFF;
                if (id == 0) {
                    p++;
                    continue;
                }
                if (p + 2 > end) {
                    return;
                }
                int n = b.get(p + 1) & 0xFF;
                if (p + 2 + n > end) {
                    return;
                }
                visitor.visit(id, p + 2, n);
                p += 2 + n;
            }
        }
    }

    /**
     * Finds the first header extension element with {@code id} in a packet whose header passed
     * {@link #headerLength}. Allocation-free (no visitor).
     *
     * @return absolute offset of the element's data, or -1 when absent; its length is
     *     {@link #extensionElementLength}
     */
    public static int findExtension(ByteBuffer b, int off, int len, int id) {
        int profile = extensionProfile(b, off);
        int p = extensionDataOffset(b, off);
        int end = p + extensionDataLength(b, off);
        if (profile == PROFILE_ONE_BYTE) {
            while (p < end) {
                int h = b.get(p) & 0xFF;
                int eid = h >> 4;
                if (eid == 0) {
                    p++;
                    continue;
                }
                if (eid == 15) {
                    return -1;
                }
                int n = (h & 0x0F) + 1;
                if (p + 1 + n > end) {
                    return -1;
                }
                if (eid == id) {
                    return p + 1;
                }
                p += 1 + n;
            }
        } else if ((profile & 0xFFF0) == PROFILE_TWO_BYTE) {
            while (p < end) {
                int eid = b.get(p) & 0xFF;
                if (eid == 0) {
                    p++;
                    continue;
                }
                if (p + 2 > end) {
                    return -1;
                }
                int n = b.get(p + 1) & 0xFF;
                if (p + 2 + n > end) {
                    return -1;
                }
                if (eid == id) {
                    return p + 2;
                }
                p += 2 + n;
            }
        }
        return -1;
    }

    /** Data length of the element whose data {@link #findExtension} located at {@code dataOffset}. */
    public static int extensionElementLength(ByteBuffer b, int off, int dataOffset) {
        int h = b.get(dataOffset - 1) & 0xFF;
        return extensionProfile(b, off) == PROFILE_ONE_BYTE ? (h & 0x0F) + 1 : h;
    }

    // ---- sequence numbers ----

    /**
     * Signed distance from {@code from} to {@code to} on the 16-bit sequence number circle,
     * in -32768..32767: 1 for the next packet, negative for an older one.
     */
    public static int sequenceDelta(int from, int to) {
        return (short) (to - from);
    }
}
