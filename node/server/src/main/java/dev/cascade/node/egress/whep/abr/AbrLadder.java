package dev.cascade.node.egress.whep.abr;

import java.util.List;

/**
 * A stream's ladder as an edge uses it: the variants {@code NAME_1} (highest) .. {@code NAME_n}
 * with their sizes and bitrates, and the policy a viewer moves between them by. It is the stream
 * manager's effective provision ({@code GET /api/v1/streams/APP/NAME/abr}), already validated
 * there; the checks here only keep a wrong answer from reaching the packet path.
 */
public record AbrLadder(String streamKey, List<Level> levels, VariantChooser.Policy policy) {

    /** One variant: level 1 is the highest. */
    public record Level(int level, int width, int height, int bitrateKbps, int fps) {}

    public AbrLadder {
        levels = List.copyOf(levels);
        if (levels.isEmpty()) {
            throw new IllegalArgumentException("a ladder without levels");
        }
        for (int i = 0; i < levels.size(); i++) {
            Level l = levels.get(i);
            if (l.level() != i + 1) {
                throw new IllegalArgumentException("ladder levels must be 1, 2, 3... in order (level " + l.level()
                        + " at index " + i + ")");
            }
            if (i > 0 && l.bitrateKbps() >= levels.get(i - 1).bitrateKbps() || l.bitrateKbps() <= 0) {
                throw new IllegalArgumentException("ladder bitrates must be > 0 and strictly decreasing");
            }
        }
        if (policy.startLevel() > levels.size()) {
            throw new IllegalArgumentException("startLevel " + policy.startLevel() + " is not in the ladder");
        }
    }

    public int size() {
        return levels.size();
    }

    public Level level(int level) {
        return levels.get(level - 1);
    }

    /** Level 1 first, in bits per second: what {@link VariantChooser} takes. */
    public long[] bitrates() {
        long[] out = new long[levels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = levels.get(i).bitrateKbps() * 1000L;
        }
        return out;
    }

    /** The stream key of a level's variant: {@code live/x} level 2 is {@code live/x_2}. */
    public String variantKey(int level) {
        return streamKey + "_" + level;
    }
}
