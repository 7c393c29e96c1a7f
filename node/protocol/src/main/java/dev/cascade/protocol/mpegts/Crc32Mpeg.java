package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;

/**
 * CRC-32/MPEG-2 as used by PSI sections (ISO/IEC 13818-1 Annex A): polynomial 0x04C11DB7, initial
 * value 0xFFFFFFFF, MSB first (no reflection) and no final XOR. Because nothing is reflected or
 * inverted, running the CRC over a whole section including its CRC_32 field yields 0, which is how
 * the decoder model in Annex A checks it.
 */
public final class Crc32Mpeg {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }
            TABLE[i] = c;
        }
    }

    private Crc32Mpeg() {}

    /** CRC over the absolute byte range [from, toExclusive) of {@code b} (within its limit); the position is ignored. */
    public static int compute(ByteBuffer b, int from, int toExclusive) {
        int crc = 0xFFFFFFFF;
        for (int i = from; i < toExclusive; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ b.get(i)) & 0xFF];
        }
        return crc;
    }

    /** CRC over {@code b[from, toExclusive)}. */
    public static int compute(byte[] b, int from, int toExclusive) {
        int crc = 0xFFFFFFFF;
        for (int i = from; i < toExclusive; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ b[i]) & 0xFF];
        }
        return crc;
    }
}
