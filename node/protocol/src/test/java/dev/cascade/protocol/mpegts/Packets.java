package dev.cascade.protocol.mpegts;

import java.nio.ByteBuffer;

/** Builds transport packets for tests. */
final class Packets {
    private Packets() {}

    /** A payload-only packet; the payload is padded with 0xFF (PSI stuffing). */
    static byte[] packet(int pid, boolean pusi, int cc, byte[] payload) {
        if (payload.length > 184) {
            throw new IllegalArgumentException("payload " + payload.length);
        }
        byte[] p = new byte[TsPacket.SIZE];
        java.util.Arrays.fill(p, (byte) 0xFF);
        p[0] = TsPacket.SYNC;
        p[1] = (byte) ((pusi ? 0x40 : 0) | (pid >> 8));
        p[2] = (byte) pid;
        p[3] = (byte) (0x10 | (cc & 0x0F));
        System.arraycopy(payload, 0, p, 4, payload.length);
        return p;
    }

    /** A packet whose payload ends exactly at the packet end, with adaptation-field stuffing before it. */
    static byte[] stuffedPacket(int pid, boolean pusi, int cc, int afFlags, byte[] payload) {
        int afTotal = 184 - payload.length; // adaptation field bytes including its length byte
        if (afTotal < 1) {
            throw new IllegalArgumentException("payload " + payload.length);
        }
        byte[] p = new byte[TsPacket.SIZE];
        p[0] = TsPacket.SYNC;
        p[1] = (byte) ((pusi ? 0x40 : 0) | (pid >> 8));
        p[2] = (byte) pid;
        p[3] = (byte) (0x30 | (cc & 0x0F));
        p[4] = (byte) (afTotal - 1);
        if (afTotal > 1) {
            p[5] = (byte) afFlags;
            java.util.Arrays.fill(p, 6, 4 + afTotal, (byte) 0xFF);
        }
        System.arraycopy(payload, 0, p, 4 + afTotal, payload.length);
        return p;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    static byte[] range(byte[] b, int from, int to) {
        return java.util.Arrays.copyOfRange(b, from, to);
    }
}
