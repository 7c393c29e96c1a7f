package dev.cascade.manager.placement;

/**
 * The 64-bit hash of placement: FNV-1a 64 over the UTF-8 bytes, then MurmurHash3's {@code fmix64}
 * finalizer.
 *
 * <p>Why two steps: FNV-1a (Fowler, Noll, Vo; <a href="https://datatracker.ietf.org/doc/draft-eastlake-fnv/">
 * draft-eastlake-fnv-21</a>) is tiny, has no seed and no table, and is stable across JVMs and
 * languages, so a hash computed by a Go or Python tool matches ours. Its weakness is avalanche: the
 * last byte only reaches the upper bits through one multiplication, so keys that differ at the end
 * ({@code live/match1}, {@code live/match2}) land close together on a ring. {@code fmix64}
 * (Austin Appleby, MurmurHash3, <a href="https://github.com/aappleby/smhasher/blob/master/src/MurmurHash3.cpp">
 * MurmurHash3.cpp</a>) is a bijection on 64-bit values in which every input bit flips each output bit
 * with probability close to 1/2, which fixes that without changing FNV's properties.
 *
 * <p>{@link #hash(CharSequence)} encodes UTF-8 on the fly, so hashing a key allocates nothing; it
 * equals {@link #hash(byte[])} of {@code s.getBytes(UTF_8)}, including the JDK's replacement of an
 * unpaired surrogate by {@code '?'}.
 */
public final class Hash64 {

    /** FNV 64-bit offset_basis, 14695981039346656037 (draft-eastlake-fnv-21). */
    static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    /** FNV 64-bit prime, 2^40 + 2^8 + 0xb3 (draft-eastlake-fnv-21). */
    static final long FNV_PRIME = 0x100000001b3L;

    private Hash64() {}

    /** {@code fmix64(fnv1a64(utf8(s)))}: the hash of a key or node id on the ring. */
    public static long hash(CharSequence s) {
        return fmix64(fnv1a64(s));
    }

    /** {@code fmix64(fnv1a64(bytes))}. */
    public static long hash(byte[] bytes) {
        return fmix64(fnv1a64(bytes));
    }

    /** Plain FNV-1a 64 of the bytes. */
    public static long fnv1a64(byte[] bytes) {
        long h = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    /** Plain FNV-1a 64 of the UTF-8 encoding of {@code s}, encoded as it goes (no allocation). */
    public static long fnv1a64(CharSequence s) {
        long h = FNV_OFFSET_BASIS;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                h = (h ^ c) * FNV_PRIME;
            } else if (c < 0x800) {
                h = (h ^ (0xc0 | (c >>> 6))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            } else if (!Character.isSurrogate(c)) {
                h = (h ^ (0xe0 | (c >>> 12))) * FNV_PRIME;
                h = (h ^ (0x80 | ((c >>> 6) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3f))) * FNV_PRIME;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                h = (h ^ (0xf0 | (cp >>> 18))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >>> 12) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >>> 6) & 0x3f))) * FNV_PRIME;
                h = (h ^ (0x80 | (cp & 0x3f))) * FNV_PRIME;
            } else {
                // An unpaired surrogate: String.getBytes(UTF_8) writes '?', and so do we.
                h = (h ^ '?') * FNV_PRIME;
            }
        }
        return h;
    }

    /** MurmurHash3's 64-bit finalizer: a bijection with full avalanche; {@code fmix64(0) == 0}. */
    public static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
