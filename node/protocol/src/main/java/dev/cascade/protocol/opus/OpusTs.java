package dev.cascade.protocol.opus;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Opus access units in MPEG-TS PES payloads (stream_type 0x06, stream_id 0xBD, registration
 * descriptor "Opus"), per the ETSI draft TS "Opus Interactive Audio Codec Transport Multiplexing"
 * (v0.1.3, the mapping FFmpeg implements; it was never published with a TS number), section 6:
 * every access unit starts with an opus_control_header.
 *
 * <pre>
 *  control_header_prefix = 0x3FF          11   no valid Opus TOC sequence starts so (RFC 6716 3.4)
 *  start_trim_flag                         1
 *  end_trim_flag                           1
 *  control_extension_flag                  1
 *  reserved                                2
 *  au_size: 0xFF bytes then a last byte   8*n  sum of all bytes
 *  [reserved 3 | start_trim 13]           16   if start_trim_flag
 *  [reserved 3 | end_trim 13]             16   if end_trim_flag
 *  [control_extension_length 8, bytes]          if control_extension_flag
 *  au_size bytes of Opus packet(s)
 * </pre>
 *
 * <p>Trims are skipped, not returned: a live server forwards packets and leaves trimming to the
 * decoder. For a multistream access unit the returned slice holds all the stream's packets
 * (self-delimited ones first, 6.1), as one unit.
 */
public final class OpusTs {
    private static final int PREFIX = 0x7FE0;

    private OpusTs() {}

    /** Slices of {@code pesPayload} (position to limit), one per access unit, control headers removed. */
    public static List<ByteBuffer> splitAccessUnits(ByteBuffer pesPayload) {
        List<ByteBuffer> units = new ArrayList<>(4);
        int p = pesPayload.position();
        int end = pesPayload.limit();
        while (p < end) {
            if (end - p < 3) {
                throw new OpusParseException("opus_control_header truncated");
            }
            int prefixAndFlags = pesPayload.getShort(p) & 0xFFFF;
            if ((prefixAndFlags & 0xFFE0) != PREFIX) {
                throw new OpusParseException("opus_control_header prefix missing");
            }
            p += 2;
            int size = 0;
            int b;
            do {
                if (p >= end) {
                    throw new OpusParseException("opus_control_header au_size truncated");
                }
                b = pesPayload.get(p++) & 0xFF;
                size += b;
            } while (b == 0xFF);
            int skip = ((prefixAndFlags & 0x10) != 0 ? 2 : 0) + ((prefixAndFlags & 0x08) != 0 ? 2 : 0);
            if (skip > end - p) {
                throw new OpusParseException("opus_control_header trim truncated");
            }
            p += skip;
            if ((prefixAndFlags & 0x04) != 0) {
                if (p >= end) {
                    throw new OpusParseException("opus_control_header extension truncated");
                }
                int extension = pesPayload.get(p++) & 0xFF;
                if (extension > end - p) {
                    throw new OpusParseException("opus_control_header extension truncated");
                }
                p += extension;
            }
            if (size > end - p) {
                throw new OpusParseException("Opus access unit of " + size + " bytes cut short at " + (end - p));
            }
            units.add(pesPayload.slice(p, size));
            p += size;
        }
        return units;
    }

    /**
     * Writes an opus_control_header without trims or extension for an access unit of {@code auSize}
     * bytes at the buffer's position.
     *
     * @return bytes written, {@link #controlHeaderSize}
     */
    public static int writeControlHeader(ByteBuffer out, int auSize) {
        if (auSize < 0) {
            throw new IllegalArgumentException("auSize " + auSize);
        }
        int start = out.position();
        out.putShort((short) PREFIX);
        int left = auSize;
        for (; left >= 0xFF; left -= 0xFF) {
            out.put((byte) 0xFF);
        }
        out.put((byte) left);
        return out.position() - start;
    }

    /** Bytes {@link #writeControlHeader} writes for {@code auSize}. */
    public static int controlHeaderSize(int auSize) {
        return 2 + auSize / 0xFF + 1;
    }
}
