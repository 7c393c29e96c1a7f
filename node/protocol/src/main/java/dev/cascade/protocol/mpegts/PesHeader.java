package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;

/**
 * PES packet header, ISO/IEC 13818-1 section 2.4.3.6 (Table 2-21) and 2.4.3.7.
 *
 * <pre>
 *  packet_start_code_prefix = 0x000001              24
 *  stream_id                                         8
 *  PES_packet_length                                16   0: unbounded (video only)
 *  -- for all stream_ids except 0xBC, 0xBE, 0xBF, 0xF0-0xF2, 0xF8, 0xFF: --
 *  '10' | scrambling(2) | priority | data_alignment | copyright | original          8
 *  PTS_DTS_flags(2) | ESCR | ES_rate | DSM_trick | add_copy_info | CRC | extension  8
 *  PES_header_data_length                            8
 *  PTS  '0010' or '0011' | PTS[32..30] | 1 | PTS[29..15] | 1 | PTS[14..0] | 1     40
 *  DTS  '0001'           | DTS[32..30] | 1 | DTS[29..15] | 1 | DTS[14..0] | 1     40
 *  other optional fields and stuffing up to PES_header_data_length
 * </pre>
 *
 * @param streamId      stream_id
 * @param packetLength  PES_packet_length: bytes after this field, 0 when unbounded
 * @param pts           33-bit presentation time stamp (90 kHz), -1 when absent
 * @param dts           33-bit decoding time stamp, -1 when absent (2.4.3.7: then DTS equals PTS)
 * @param headerLength  bytes from packet_start_code_prefix to the first payload byte
 */
public record PesHeader(int streamId, int packetLength, long pts, long dts, int headerLength) {
    public static final long MAX_TIMESTAMP = (1L << 33) - 1;
    /** The longest header {@link #encode} writes: 9 fixed bytes, PTS and DTS. */
    public static final int MAX_ENCODED_SIZE = 19;

    private static final int PTS_ONLY = 0b10;
    private static final int PTS_DTS = 0b11;

    /**
     * Parses the header at absolute {@code offset} from the {@code available} bytes there. Only the
     * header is read; the payload need not be present.
     */
    public static PesHeader parse(ByteBuffer b, int offset, int available) {
        if (offset < 0 || available < 6 || available > b.limit() - offset) {
            throw new TsParseException("PES header truncated");
        }
        if (b.get(offset) != 0 || b.get(offset + 1) != 0 || b.get(offset + 2) != 1) {
            throw new TsParseException("PES packet_start_code_prefix missing");
        }
        int streamId = b.get(offset + 3) & 0xFF;
        if (streamId < 0xBC) {
            throw new TsParseException("stream_id 0x" + Integer.toHexString(streamId) + " is not a PES stream");
        }
        int packetLength = b.getShort(offset + 4) & 0xFFFF;
        if (!hasOptionalHeader(streamId)) {
            return new PesHeader(streamId, packetLength, -1, -1, 6);
        }
        if (available < 9) {
            throw new TsParseException("PES header truncated");
        }
        if ((b.get(offset + 6) & 0xC0) != 0x80) {
            throw new TsParseException("PES header '10' marker missing");
        }
        int ptsDts = (b.get(offset + 7) >> 6) & 0x03;
        int dataLength = b.get(offset + 8) & 0xFF;
        int headerLength = 9 + dataLength;
        if (ptsDts == 0b01) {
            throw new TsParseException("PTS_DTS_flags '01' is forbidden");
        }
        if (headerLength > available) {
            throw new TsParseException("PES header truncated");
        }
        if (packetLength != 0 && packetLength < 3 + dataLength) {
            throw new TsParseException("PES_packet_length " + packetLength + " shorter than its header");
        }
        if (dataLength < (ptsDts == PTS_DTS ? 10 : ptsDts == PTS_ONLY ? 5 : 0)) {
            throw new TsParseException("PES_header_data_length too short for PTS/DTS");
        }
        long pts = ptsDts >= PTS_ONLY ? readTimestamp(b, offset + 9) : -1;
        long dts = ptsDts == PTS_DTS ? readTimestamp(b, offset + 14) : -1;
        return new PesHeader(streamId, packetLength, pts, dts, headerLength);
    }

    /**
     * Writes a header at the buffer's position: PTS only when {@code dts} is negative or equal to
     * {@code pts}, no other optional field, no stuffing.
     *
     * @param pesPacketLength the PES_packet_length field value (0 for unbounded video)
     * @param pts             0..2^33-1, or -1 for none
     * @param dts             0..2^33-1, or -1 for none
     * @return bytes written, {@link #headerSize}
     */
    public static int encode(ByteBuffer out, int streamId, int pesPacketLength, long pts, long dts) {
        if (streamId < 0xBC || streamId > 0xFF) {
            throw new IllegalArgumentException("stream_id " + streamId);
        }
        if (pesPacketLength < 0 || pesPacketLength > 0xFFFF) {
            throw new IllegalArgumentException("PES_packet_length " + pesPacketLength);
        }
        if (pts < -1 || pts > MAX_TIMESTAMP || dts < -1 || dts > MAX_TIMESTAMP || (pts < 0 && dts >= 0)) {
            throw new IllegalArgumentException("pts " + pts + " / dts " + dts);
        }
        boolean optional = hasOptionalHeader(streamId);
        if (!optional && pts >= 0) {
            throw new IllegalArgumentException("stream_id " + streamId + " carries no timestamps");
        }
        int start = out.position();
        out.putInt(0x00000100 | streamId);
        out.putShort((short) pesPacketLength);
        if (optional) {
            boolean withDts = dts >= 0 && dts != pts;
            out.put((byte) 0x80);
            out.put((byte) (pts < 0 ? 0 : (withDts ? PTS_DTS : PTS_ONLY) << 6));
            out.put((byte) (pts < 0 ? 0 : withDts ? 10 : 5));
            if (pts >= 0) {
                putTimestamp(out, withDts ? 0b0011 : 0b0010, pts);
            }
            if (withDts) {
                putTimestamp(out, 0b0001, dts);
            }
        }
        return out.position() - start;
    }

    /** Bytes {@link #encode} writes for these arguments. */
    public static int headerSize(int streamId, long pts, long dts) {
        if (!hasOptionalHeader(streamId)) {
            return 6;
        }
        return pts < 0 ? 9 : dts >= 0 && dts != pts ? 19 : 14;
    }

    /** Size of the canonical encoding of this header (PTS/DTS only, no stuffing). */
    public int encodedSize() {
        return headerSize(streamId, pts, dts);
    }

    /** Writes the canonical encoding of this header. */
    public void encodeTo(ByteBuffer out) {
        encode(out, streamId, packetLength, pts, dts);
    }

    /** Table 2-21: these stream_ids go straight from PES_packet_length to data. */
    public static boolean hasOptionalHeader(int streamId) {
        return switch (streamId) {
            case 0xBC, 0xBE, 0xBF, 0xF0, 0xF1, 0xF2, 0xF8, 0xFF -> false;
            default -> true;
        };
    }

    /** Marker bits are not checked: some muxers get them wrong and the value is still usable. */
    private static long readTimestamp(ByteBuffer b, int p) {
        return ((long) (b.get(p) & 0x0E) << 29)
                | ((b.get(p + 1) & 0xFF) << 22)
                | ((b.get(p + 2) & 0xFE) << 14)
                | ((b.get(p + 3) & 0xFF) << 7)
                | ((b.get(p + 4) & 0xFE) >> 1);
    }

    private static void putTimestamp(ByteBuffer out, int prefix, long ts) {
        out.put((byte) ((prefix << 4) | ((ts >> 29) & 0x0E) | 1));
        out.put((byte) (ts >> 22));
        out.put((byte) (((ts >> 14) & 0xFE) | 1));
        out.put((byte) (ts >> 7));
        out.put((byte) (((ts << 1) & 0xFE) | 1));
    }
}
