package dev.cascade.bench;

/**
 * Open-addressing map from a packet hash to the packet's index in the source file. A hash seen
 * twice (null packets, repeated PAT/PMT, identical payloads) is marked ambiguous and never answers:
 * such packets cannot be matched to one send time, so the latency benchmark skips them.
 */
final class PacketIndex {
    static final int MISSING = -1;
    static final int AMBIGUOUS = -2;

    private final long[] keys;
    private final int[] values;
    private final int mask;
    private int ambiguous;

    PacketIndex(int expected) {
        int cap = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        mask = cap - 1;
    }

    /** Adds {@code hash -> index}; a second, different index makes the hash ambiguous. */
    void put(long hash, int index) {
        int i = slot(hash);
        while (keys[i] != 0) {
            if (keys[i] == hash) {
                if (values[i] != AMBIGUOUS && values[i] != index) {
                    values[i] = AMBIGUOUS;
                    ambiguous++;
                }
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = hash;
        values[i] = index;
    }

    /** The packet index, {@link #MISSING} or {@link #AMBIGUOUS}. */
    int get(long hash) {
        int i = slot(hash);
        while (keys[i] != 0) {
            if (keys[i] == hash) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return MISSING;
    }

    /** Distinct hashes that occur more than once. */
    int ambiguousHashes() {
        return ambiguous;
    }

    private int slot(long hash) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }
}
