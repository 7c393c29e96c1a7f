package dev.cascade.protocol.h264;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NAL unit basics of ITU-T H.264: the header byte (7.3.1), the Annex B byte stream format (B.1) and
 * emulation prevention (7.4.1).
 *
 * <pre>
 *  +---------------+
 *  |0|1|2|3|4|5|6|7|
 *  +-+-+-+-+-+-+-+-+
 *  |F|NRI|  Type   |   F = forbidden_zero_bit, NRI = nal_ref_idc
 *  +---------------+
 * </pre>
 */
public final class H264 {
    public static final int NAL_SLICE = 1;
    public static final int NAL_IDR = 5;
    public static final int NAL_SEI = 6;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int NAL_AUD = 9;

    private H264() {}

    public static int nalType(int headerByte) {
        return headerByte & 0x1F;
    }

    /** Table 7-1: types 1-5 carry slice data (the VCL). */
    public static boolean isVcl(int nalType) {
        return nalType >= NAL_SLICE && nalType <= NAL_IDR;
    }

    /**
     * Splits an Annex B access unit (position to limit) into its NAL units, without start codes. Each
     * element is a slice of {@code au} sharing its content. Both 3- and 4-byte start codes are found;
     * zero bytes before a start code (the 4-byte form's leading zero, trailing_zero_8bits) are not
     * part of the NAL unit. Bytes before the first start code are skipped, empty NAL units dropped.
     * Never throws: a buffer without start codes yields an empty list.
     */
    public static List<ByteBuffer> splitAnnexB(ByteBuffer au) {
        List<ByteBuffer> nals = new ArrayList<>();
        int end = au.limit();
        int nalStart = -1;
        int i = au.position();
        // B.2: look at the third byte first; anything above 1 rules out a start code ending there or
        // in the next two positions, so most bytes are visited once every three.
        while (i + 2 < end) {
            int b2 = au.get(i + 2);
            if (b2 > 1 || b2 < 0) {
                i += 3;
            } else if (b2 == 1 && au.get(i + 1) == 0 && au.get(i) == 0) {
                if (nalStart >= 0) {
                    addNal(au, nals, nalStart, i);
                }
                nalStart = i + 3;
                i += 3;
            } else {
                i++;
            }
        }
        if (nalStart >= 0) {
            addNal(au, nals, nalStart, end);
        }
        return nals;
    }

    private static void addNal(ByteBuffer au, List<ByteBuffer> nals, int from, int to) {
        while (to > from && au.get(to - 1) == 0) {
            to--;
        }
        if (to > from) {
            nals.add(au.slice(from, to - from));
        }
    }

    /** The RBSP of a NAL unit (position to limit): every emulation_prevention_three_byte removed (7.4.1). */
    public static byte[] unescapeRbsp(ByteBuffer nal) {
        int from = nal.position();
        int to = nal.limit();
        byte[] out = new byte[to - from];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < to; i++) {
            byte b = nal.get(i);
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Inserts emulation_prevention_three_byte so that no 0x000000-0x000003 appears (7.4.1), and
     * appends 0x03 when the RBSP ends in 0x0000 (a cabac_zero_word) so the next start code cannot
     * be misread. {@code unescapeRbsp(escapeRbsp(x))} equals {@code x} for every input.
     */
    public static byte[] escapeRbsp(byte[] rbsp) {
        int extra = 0;
        int zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                extra++;
                zeros = 0;
            }
            zeros = b == 0 ? zeros + 1 : 0;
        }
        if (zeros >= 2) {
            extra++;
        }
        if (extra == 0) {
            return rbsp.clone();
        }
        byte[] out = new byte[rbsp.length + extra];
        int n = 0;
        zeros = 0;
        for (byte b : rbsp) {
            if (zeros >= 2 && (b & 0xFF) <= 3) {
                out[n++] = 3;
                zeros = 0;
            }
            out[n++] = b;
            zeros = b == 0 ? zeros + 1 : 0;
        }
        if (zeros >= 2) {
            out[n] = 3;
        }
        return out;
    }
}
