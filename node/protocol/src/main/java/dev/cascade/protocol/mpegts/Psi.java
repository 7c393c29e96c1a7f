package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;

/** Long-form PSI section framing shared by the PAT and PMT codecs (ISO/IEC 13818-1 2.4.4). */
final class Psi {
    /** 2.4.4.3/2.4.4.8: the first two bits of section_length are '00' and the value is at most 1021. */
    static final int MAX_SECTION_LENGTH = 1021;
    /** Bytes after section_length that every long-form section has: 5 header bytes and CRC_32. */
    static final int FIXED = 9;

    private Psi() {}

    /**
     * Validates the section framing at {@code b.position()} and returns its total length (3 +
     * section_length). Checks table_id, section_syntax_indicator, the '0' bit, the length bounds
     * (against both the spec limit and the bytes actually present) and the CRC.
     */
    static int checkSection(ByteBuffer b, int tableId, int minSectionLength, String name) {
        int off = b.position();
        int avail = b.remaining();
        if (avail < 3) {
            throw new TsParseException(name + " section truncated");
        }
        if ((b.get(off) & 0xFF) != tableId) {
            throw new TsParseException(name + " table_id " + (b.get(off) & 0xFF) + " != " + tableId);
        }
        int b1 = b.get(off + 1) & 0xFF;
        if ((b1 & 0xC0) != 0x80) {
            throw new TsParseException(name + " section_syntax_indicator/'0' bits invalid");
        }
        int sectionLength = ((b1 & 0x0F) << 8) | (b.get(off + 2) & 0xFF);
        if (sectionLength > MAX_SECTION_LENGTH || sectionLength < minSectionLength) {
            throw new TsParseException(name + " section_length " + sectionLength + " out of range");
        }
        int total = 3 + sectionLength;
        if (total > avail) {
            throw new TsParseException(name + " section truncated");
        }
        if (Crc32Mpeg.compute(b, off, off + total) != 0) {
            throw new TsParseException(name + " CRC mismatch");
        }
        return total;
    }

    /** Writes table_id..last_section_number for a single-section table (current, section 0 of 0). */
    static void putHeader(ByteBuffer out, int tableId, int totalLength, int tableIdExtension, int version) {
        int sectionLength = totalLength - 3;
        out.put((byte) tableId);
        out.put((byte) (0xB0 | (sectionLength >> 8)));
        out.put((byte) sectionLength);
        out.putShort((short) tableIdExtension);
        out.put((byte) (0xC1 | (version << 1)));
        out.put((byte) 0);
        out.put((byte) 0);
    }

    /** Appends CRC_32 over the section that started at {@code start}. */
    static void putCrc(ByteBuffer out, int start) {
        out.putInt(Crc32Mpeg.compute(out, start, out.position()));
    }

    static void checkRange(String what, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " " + value + " out of range 0.." + max);
        }
    }
}
