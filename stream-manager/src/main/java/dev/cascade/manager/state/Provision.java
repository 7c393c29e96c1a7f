package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * How a stream is offered at several qualities (adaptive bitrate): its {@code ladder} of levels,
 * level 1 the highest, and the {@code policy} by which a viewer moves between them on its REMB
 * (receiver-estimated bandwidth). Set per stream ({@code cascade.provisions}) or as a node group's
 * default ({@link NodeGroup#abr()}), which applies to a stream that has none of its own.
 *
 * <p>A ladder must make sense: levels 1..n in order, each no larger and no faster than the one
 * above it and strictly lower in bitrate, and, when the {@code source} size is known, none above
 * it. Every refusal names the field as the request spelled it ({@code ladder[1].bitrateKbps}).
 */
public record Provision(List<Level> ladder, Policy policy, Source source, Instant updatedAt) implements Serializable {
    public static final int MAX_LEVELS = 8;

    public Provision {
        if (ladder == null || ladder.isEmpty()) {
            throw new InvalidValueException("ladder", "must have 1 to " + MAX_LEVELS + " levels");
        }
        if (ladder.size() > MAX_LEVELS) {
            throw new InvalidValueException("ladder", "at most " + MAX_LEVELS + " levels (got " + ladder.size() + ")");
        }
        for (int i = 0; i < ladder.size(); i++) {
            if (ladder.get(i) == null) {
                throw new InvalidValueException("ladder[" + i + "]", "must be an object");
            }
        }
        ladder = List.copyOf(ladder);
        for (int i = 0; i < ladder.size(); i++) {
            Level l = ladder.get(i);
            String at = "ladder[" + i + "]";
            if (l.level() != i + 1) {
                throw new InvalidValueException(at + ".level", "levels must be 1, 2, 3... in order, level 1 the highest"
                        + " (expected " + (i + 1) + ", got " + l.level() + ")");
            }
            if (i > 0) {
                Level up = ladder.get(i - 1);
                if (l.bitrateKbps() >= up.bitrateKbps()) {
                    throw new InvalidValueException(at + ".bitrateKbps", "must be below level " + up.level() + "'s "
                            + up.bitrateKbps() + " (got " + l.bitrateKbps() + ")");
                }
                notAbove(at + ".width", l.width(), "level " + up.level() + "'s", up.width());
                notAbove(at + ".height", l.height(), "level " + up.level() + "'s", up.height());
                notAbove(at + ".fps", l.fps(), "level " + up.level() + "'s", up.fps());
            }
            if (source != null) {
                notAbove(at + ".width", l.width(), "the source's", source.width());
                notAbove(at + ".height", l.height(), "the source's", source.height());
            }
        }
        policy = policy == null ? new Policy(null, null, null, null) : policy;
        if (policy.startLevel() == null) {
            policy = policy.withStartLevel(ladder.size());
        } else if (policy.startLevel() > ladder.size()) {
            throw new InvalidValueException("policy.startLevel", "the ladder has no level " + policy.startLevel()
                    + " (it has levels 1 to " + ladder.size() + ")");
        }
    }

    public Provision stamped(Instant updated) {
        return new Provision(ladder, policy, source, updated);
    }

    private static void notAbove(String field, int value, String whose, int limit) {
        if (value > limit) {
            throw new InvalidValueException(field, "must be at most " + whose + " " + limit + " (got " + value + ")");
        }
    }

    /** One quality: a size, a bitrate and a frame rate. */
    public record Level(Integer level, Integer width, Integer height, Integer bitrateKbps, Integer fps)
            implements Serializable {
        public Level {
            required("level", level);
            Validation.between("level", level, 1, MAX_LEVELS);
            required("width", width);
            Validation.between("width", width, 16, 7680);
            even("width", width);
            required("height", height);
            Validation.between("height", height, 16, 4320);
            even("height", height);
            required("bitrateKbps", bitrateKbps);
            Validation.between("bitrateKbps", bitrateKbps, 50, 50_000);
            required("fps", fps);
            Validation.between("fps", fps, 1, 120);
        }

        private static void even(String field, int value) {
            if (value % 2 != 0) {
                throw new InvalidValueException(field, "must be even (got " + value + ")");
            }
        }
    }

    /**
     * How a viewer moves between levels: it starts at {@code startLevel} (default: the lowest), steps
     * down when its REMB falls below the current level's bitrate x {@code downThreshold}, and steps
     * up when its REMB has been at least the next level's bitrate x {@code upHeadroom} for
     * {@code upDelayMs}.
     */
    public record Policy(Integer startLevel, Double downThreshold, Double upHeadroom, Integer upDelayMs)
            implements Serializable {
        public Policy {
            if (startLevel != null) {
                Validation.between("startLevel", startLevel, 1, MAX_LEVELS);
            }
            downThreshold = downThreshold == null ? 0.9 : downThreshold;
            if (!(downThreshold > 0 && downThreshold <= 1)) {
                throw new InvalidValueException("downThreshold", "must be above 0 and at most 1: a fraction of the"
                        + " current level's bitrate (got " + downThreshold + ")");
            }
            upHeadroom = upHeadroom == null ? 1.2 : upHeadroom;
            if (!(upHeadroom >= 1 && upHeadroom <= 4)) {
                throw new InvalidValueException("upHeadroom", "must be between 1 and 4: a multiple of the next level's"
                        + " bitrate (got " + upHeadroom + ")");
            }
            if (upHeadroom * downThreshold < 1) {
                throw new InvalidValueException("upHeadroom", "must be at least 1 / downThreshold (" + String.format(java.util.Locale.ROOT, "%.3f", 1 / downThreshold)
                        + "): a level stepped up to at a lower estimate would be stepped down from at once (got " + upHeadroom + ")");
            }
            upDelayMs = upDelayMs == null ? 4000 : upDelayMs;
            Validation.between("upDelayMs", upDelayMs, 0, 60_000);
        }

        Policy withStartLevel(int level) {
            return new Policy(level, downThreshold, upHeadroom, upDelayMs);
        }
    }

    /** The source's picture size, when known: no level may be larger. */
    public record Source(Integer width, Integer height) implements Serializable {
        public Source {
            required("width", width);
            Validation.between("width", width, 16, 7680);
            required("height", height);
            Validation.between("height", height, 16, 4320);
        }
    }

    private static void required(String field, Integer value) {
        if (value == null) {
            throw new InvalidValueException(field, "is required");
        }
    }
}
