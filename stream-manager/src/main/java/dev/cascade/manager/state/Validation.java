package dev.cascade.manager.state;

import dev.cascade.protocol.streamid.StreamId;
import dev.cascade.protocol.streamid.StreamIdParseException;
import java.util.regex.Pattern;

/** Checks shared by the records that arrive in request bodies. */
public final class Validation {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

    private Validation() {}

    public static void atLeast(String field, long value, long min) {
        if (value < min) {
            throw new InvalidValueException(field, "must be at least " + min + " (got " + value + ")");
        }
    }

    public static void between(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new InvalidValueException(field, "must be between " + min + " and " + max + " (got " + value + ")");
        }
    }

    public static void finiteAtLeast(String field, double value, double min) {
        if (!Double.isFinite(value) || value < min) {
            throw new InvalidValueException(field, "must be a number of at least " + min + " (got " + value + ")");
        }
    }

    public static String required(String field, String value) {
        if (value == null) {
            throw new InvalidValueException(field, "is required");
        }
        return value;
    }

    /** Node ids, stream app and name segments: what an SRT stream ID and a URL path carry unescaped. */
    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw new InvalidValueException(field, "must be 1-64 of A-Z a-z 0-9 _ . -, not starting with . (got " + quote(value) + ")");
        }
        return value;
    }

    public static String region(String field, String value) {
        if (value == null || !REGION.matcher(value).matches()) {
            throw new InvalidValueException(field, "must be 1-64 of a-z 0-9 - (got " + quote(value) + ")");
        }
        return value;
    }

    /** An {@code app/name} stream key under the same rules as SRT stream IDs. */
    public static String streamKey(String field, String key) {
        if (key == null) {
            throw new InvalidValueException(field, "is required");
        }
        int slash = key.indexOf('/');
        if (slash < 0) {
            throw new InvalidValueException(field, "must be app/name (got " + quote(key) + ")");
        }
        try {
            StreamId.parse("#!::r=" + key + ",m=request");
        } catch (StreamIdParseException e) {
            throw new InvalidValueException(field, e.getMessage());
        }
        return key;
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
    }
}
