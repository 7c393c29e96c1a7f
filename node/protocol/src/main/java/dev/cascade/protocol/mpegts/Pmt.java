package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Program map table, ISO/IEC 13818-1 section 2.4.4.8 (Table 2-33).
 *
 * <pre>
 *  table_id = 0x02                                   8
 *  section_syntax_indicator = 1 | '0' | reserved(2)  4
 *  section_length                                   12   (<= 1021)
 *  program_number                                   16
 *  reserved(2) | version_number(5) | current_next(1) 8
 *  section_number = 0                                8
 *  last_section_number = 0                           8
 *  reserved(3) | PCR_PID                            16
 *  reserved(4) | program_info_length                16
 *  descriptor() ...                                      program_info_length bytes
 *  { stream_type 8 | reserved(3) | elementary_PID 13 | reserved(4) | ES_info_length 12
 *    descriptor() ... } * N
 *  CRC_32                                           32
 * </pre>
 *
 * <p>Descriptor loops are kept as raw bytes ({@link StreamType} reads the few we need). Byte arrays
 * are copied in and out, so instances are immutable values.
 */
public record Pmt(int programNumber, int version, int pcrPid, byte[] programInfo, List<ElementaryStream> streams) {
    static final int TABLE_ID = 0x02;
    private static final int MIN_SECTION_LENGTH = Psi.FIXED + 4;

    /** One elementary stream entry of the PMT. */
    public record ElementaryStream(int streamType, int pid, byte[] descriptors) {
        public ElementaryStream {
            Psi.checkRange("stream_type", streamType, 0xFF);
            Psi.checkRange("elementary_PID", pid, 0x1FFF);
            descriptors = descriptors == null ? new byte[0] : descriptors.clone();
            Psi.checkRange("ES_info_length", descriptors.length, 0x3FF);
        }

        @Override
        public byte[] descriptors() {
            return descriptors.clone();
        }

        /** Length of the descriptor loop, without copying it. */
        int descriptorsLength() {
            return descriptors.length;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ElementaryStream e && e.streamType == streamType && e.pid == pid
                    && Arrays.equals(e.descriptors, descriptors);
        }

        @Override
        public int hashCode() {
            return (streamType * 31 + pid) * 31 + Arrays.hashCode(descriptors);
        }

        @Override
        public String toString() {
            return "ElementaryStream[streamType=0x" + Integer.toHexString(streamType) + ", pid=" + pid
                    + ", descriptors=" + HexFormat.of().formatHex(descriptors) + "]";
        }
    }

    public Pmt {
        Psi.checkRange("program_number", programNumber, 0xFFFF);
        Psi.checkRange("version_number", version, 31);
        Psi.checkRange("PCR_PID", pcrPid, 0x1FFF);
        programInfo = programInfo == null ? new byte[0] : programInfo.clone();
        Psi.checkRange("program_info_length", programInfo.length, 0x3FF);
        streams = List.copyOf(streams);
        int size = 3 + MIN_SECTION_LENGTH + programInfo.length;
        for (ElementaryStream s : streams) {
            size += 5 + s.descriptorsLength();
        }
        if (size - 3 > Psi.MAX_SECTION_LENGTH) {
            throw new IllegalArgumentException("PMT does not fit one section: section_length " + (size - 3));
        }
    }

    @Override
    public byte[] programInfo() {
        return programInfo.clone();
    }

    /**
     * Parses the section starting at {@code section.position()} (table_id); the limit may extend past
     * it. On success the position moves past CRC_32.
     */
    public static Pmt parse(ByteBuffer section) {
        int off = section.position();
        int total = Psi.checkSection(section, TABLE_ID, MIN_SECTION_LENGTH, "PMT");
        int end = off + total - 4;
        int programNumber = section.getShort(off + 3) & 0xFFFF;
        int version = (section.get(off + 5) >> 1) & 0x1F;
        int pcrPid = section.getShort(off + 8) & 0x1FFF;
        int p = off + 12;
        byte[] programInfo = take(section, p, section.getShort(off + 10) & 0x0FFF, end, "program_info_length");
        p += programInfo.length;
        List<ElementaryStream> streams = new ArrayList<>();
        while (p < end) {
            if (p + 5 > end) {
                throw new TsParseException("PMT elementary stream entry truncated");
            }
            int type = section.get(p) & 0xFF;
            int pid = section.getShort(p + 1) & 0x1FFF;
            byte[] desc = take(section, p + 5, section.getShort(p + 3) & 0x0FFF, end, "ES_info_length");
            streams.add(new ElementaryStream(type, pid, desc));
            p += 5 + desc.length;
        }
        section.position(off + total);
        return new Pmt(programNumber, version, pcrPid, programInfo, streams);
    }

    private static byte[] take(ByteBuffer b, int from, int length, int end, String field) {
        // 2.4.4.8: the two top bits of both length fields are '00'; the loop must also stay in the section.
        if (length > 0x3FF || from + length > end) {
            throw new TsParseException("PMT " + field + " " + length + " overruns the section");
        }
        byte[] out = new byte[length];
        b.get(from, out);
        return out;
    }

    public int encodedSize() {
        int size = 3 + MIN_SECTION_LENGTH + programInfo.length;
        for (ElementaryStream s : streams) {
            size += 5 + s.descriptorsLength();
        }
        return size;
    }

    /** Writes the section table_id..CRC_32 at the buffer's position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        int start = out.position();
        Psi.putHeader(out, TABLE_ID, encodedSize(), programNumber, version);
        out.putShort((short) (0xE000 | pcrPid));
        out.putShort((short) (0xF000 | programInfo.length));
        out.put(programInfo);
        for (ElementaryStream s : streams) {
            out.put((byte) s.streamType());
            out.putShort((short) (0xE000 | s.pid()));
            out.putShort((short) (0xF000 | s.descriptors.length));
            out.put(s.descriptors);
        }
        Psi.putCrc(out, start);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pmt m && m.programNumber == programNumber && m.version == version
                && m.pcrPid == pcrPid && Arrays.equals(m.programInfo, programInfo) && m.streams.equals(streams);
    }

    @Override
    public int hashCode() {
        return Objects.hash(programNumber, version, pcrPid, Arrays.hashCode(programInfo), streams);
    }

    @Override
    public String toString() {
        return "Pmt[programNumber=" + programNumber + ", version=" + version + ", pcrPid=" + pcrPid
                + ", programInfo=" + HexFormat.of().formatHex(programInfo) + ", streams=" + streams + "]";
    }
}
