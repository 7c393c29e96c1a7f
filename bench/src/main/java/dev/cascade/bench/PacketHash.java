package dev.cascade.bench;

import java.nio.ByteBuffer;

/**
 * A 64-bit hash of one 188-byte TS packet, read straight from a buffer (no copy, no allocation).
 * The nodes forward packets byte for byte, so a packet's hash identifies it at every receiver.
 */
final class PacketHash {
    static final int TS = 188;
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private PacketHash() {}

    /** Hash of the packet at {@code off}; never 0 (0 marks an empty slot in {@link PacketIndex}). */
    static long of(ByteBuffer b, int off) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < 184; i += 8) {
            long k = b.getLong(off + i) * C1;
            k = Long.rotateLeft(k, 31) * C2;
            h ^= k;
            h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
        }
        h ^= (b.getInt(off + 184) & 0xFFFFFFFFL) * C1;
        h ^= TS;
        // murmur3 fmix64
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }
}
