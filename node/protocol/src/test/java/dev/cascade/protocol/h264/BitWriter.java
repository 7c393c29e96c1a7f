package dev.cascade.protocol.h264;

import java.io.ByteArrayOutputStream;

/** Writes RBSP bits, for building synthetic parameter sets in tests. */
final class BitWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int current;
    private int bits;

    BitWriter u(int n, long value) {
        for (int i = n - 1; i >= 0; i--) {
            current = (current << 1) | (int) ((value >> i) & 1);
            if (++bits == 8) {
                out.write(current);
                current = 0;
                bits = 0;
            }
        }
        return this;
    }

    BitWriter flag(boolean b) {
        return u(1, b ? 1 : 0);
    }

    BitWriter ue(long v) {
        long x = v + 1;
        int len = 64 - Long.numberOfLeadingZeros(x);
        u(len - 1, 0);
        return u(len, x);
    }

    BitWriter se(long v) {
        return ue(v > 0 ? 2 * v - 1 : -2 * v);
    }

    /** The RBSP with rbsp_trailing_bits. */
    byte[] rbsp() {
        u(1, 1);
        while (bits != 0) {
            u(1, 0);
        }
        return out.toByteArray();
    }

    /** A whole NAL unit: header byte then the escaped RBSP. */
    byte[] nal(int header) {
        byte[] escaped = H264.escapeRbsp(rbsp());
        byte[] nal = new byte[escaped.length + 1];
        nal[0] = (byte) header;
        System.arraycopy(escaped, 0, nal, 1, escaped.length);
        return nal;
    }
}
