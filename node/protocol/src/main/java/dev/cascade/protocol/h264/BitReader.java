package dev.cascade.protocol.h264;

/** MSB-first bit reader over an RBSP with the Exp-Golomb codes of ITU-T H.264 section 9.1. */
final class BitReader {
    private final byte[] data;
    private final String what;
    private int bit;

    BitReader(byte[] data, String what) {
        this.data = data;
        this.what = what;
    }

    int u(int n) {
        if (bit + n > data.length * 8) {
            throw new H264ParseException(what + " truncated");
        }
        int v = 0;
        for (int i = 0; i < n; i++, bit++) {
            v = (v << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
        }
        return v;
    }

    boolean flag() {
        return u(1) == 1;
    }

    /** ue(v), 9.1: leadingZeroBits zeros, a one, then as many info bits. Values above 2^31-2 are refused. */
    int ue() {
        int zeros = 0;
        while (u(1) == 0) {
            if (++zeros > 30) {
                throw new H264ParseException(what + " Exp-Golomb code too long");
            }
        }
        return (int) ((1L << zeros) - 1 + u(zeros));
    }

    /** se(v), 9.1.1: k maps to (-1)^(k+1) * ceil(k/2). */
    int se() {
        int k = ue();
        return (k & 1) != 0 ? (k + 1) >> 1 : -(k >> 1);
    }

    int ue(int max, String field) {
        int v = ue();
        if (v > max) {
            throw new H264ParseException(what + " " + field + " " + v + " > " + max);
        }
        return v;
    }
}
