package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Program association table, ISO/IEC 13818-1 section 2.4.4.3 (Table 2-30).
 *
 * <pre>
 *  table_id = 0x00                                   8
 *  section_syntax_indicator = 1 | '0' | reserved(2)  4
 *  section_length                                   12   (<= 1021)
 *  transport_stream_id                              16
 *  reserved(2) | version_number(5) | current_next(1) 8
 *  section_number                                    8
 *  last_section_number                               8
 *  { program_number 16 | reserved(3) | PID 13 } * N       program_number 0 carries the network_PID
 *  CRC_32                                           32
 * </pre>
 *
 * <p>Only single-section tables are modelled: section numbers and current_next_indicator are not
 * kept, and {@link #encodeTo} writes section 0 of 0, current, with all reserved bits set. A program
 * with number 0 is the network PID entry and is kept in {@link #programs()} as it appears.
 */
public record Pat(int transportStreamId, int version, List<Program> programs) {
    static final int TABLE_ID = 0x00;
    /** (1021 - 9) / 4: the most program entries one section can hold. */
    public static final int MAX_PROGRAMS = 253;

    /** One program_number to program_map_PID entry (network_PID when {@code number == 0}). */
    public record Program(int number, int pmtPid) {
        public Program {
            Psi.checkRange("program_number", number, 0xFFFF);
            Psi.checkRange("PID", pmtPid, 0x1FFF);
        }
    }

    public Pat {
        Psi.checkRange("transport_stream_id", transportStreamId, 0xFFFF);
        Psi.checkRange("version_number", version, 31);
        programs = List.copyOf(programs);
        if (programs.size() > MAX_PROGRAMS) {
            throw new IllegalArgumentException("too many programs for one PAT section: " + programs.size());
        }
    }

    /**
     * Parses the section starting at {@code section.position()} (table_id). The limit may extend past
     * the section: section_length decides where it ends. On success the position moves past CRC_32.
     */
    public static Pat parse(ByteBuffer section) {
        int off = section.position();
        int total = Psi.checkSection(section, TABLE_ID, Psi.FIXED, "PAT");
        if ((total - 3 - Psi.FIXED) % 4 != 0) {
            throw new TsParseException("PAT section_length not a whole number of programs");
        }
        int tsid = section.getShort(off + 3) & 0xFFFF;
        int version = (section.get(off + 5) >> 1) & 0x1F;
        int end = off + total - 4;
        List<Program> programs = new ArrayList<>((end - off - 8) / 4);
        for (int p = off + 8; p < end; p += 4) {
            programs.add(new Program(section.getShort(p) & 0xFFFF, section.getShort(p + 2) & 0x1FFF));
        }
        section.position(off + total);
        return new Pat(tsid, version, programs);
    }

    public int encodedSize() {
        return 3 + Psi.FIXED + 4 * programs.size();
    }

    /** Writes the section table_id..CRC_32 at the buffer's position, advancing it. */
    public void encodeTo(ByteBuffer out) {
        int start = out.position();
        Psi.putHeader(out, TABLE_ID, encodedSize(), transportStreamId, version);
        for (Program p : programs) {
            out.putShort((short) p.number());
            out.putShort((short) (0xE000 | p.pmtPid()));
        }
        Psi.putCrc(out, start);
    }
}
