package dev.cascade.cli;

import java.util.regex.Pattern;

/**
 * The names that go into request paths, checked against the contract's patterns before anything is sent, so a
 * typo is a usage error (exit 2) rather than a request to some other path. {@code .} and {@code ..} match the
 * contract's patterns but are dot segments in a URL path (RFC 3986 section 5.2.4), so they are refused too.
 */
final class ResourceNames {
    /** Node ids, stream apps and stream names: {@code ^[A-Za-z0-9_.-]{1,64}$}. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Node group names: {@code ^[a-z0-9][a-z0-9-]{0,62}$}. */
    static final Pattern GROUP = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    /** Scheduled event ids: {@code ^ev_[0-9a-f]{12}$}. */
    static final Pattern EVENT = Pattern.compile("ev_[0-9a-f]{12}");

    private ResourceNames() {}

    /** The node id, or an IllegalArgumentException saying what is wrong with it. */
    static String nodeId(String id) {
        return idLike(id, "node id");
    }

    static String groupName(String name) {
        if (!GROUP.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a node group name: 1-63 of a-z 0-9 -, "
                    + "starting with a letter or digit");
        }
        return name;
    }

    static String eventId(String id) {
        if (!EVENT.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a scheduled event id: ev_ and 12 hex digits "
                    + "(0-9 a-f), e.g. ev_0123456789ab");
        }
        return id;
    }

    /** An API key id has no pattern in the contract: anything non-empty, percent-encoded into the path. */
    static String apiKeyId(String id) {
        if (id.isEmpty()) {
            throw new IllegalArgumentException("an API key id cannot be empty");
        }
        return Query.encode(id);
    }

    static String idLike(String value, String what) {
        if (!ID.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a " + what + ": 1-64 of A-Z a-z 0-9 _ . -");
        }
        if (value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException("'" + value + "' cannot be used as a " + what + " in a URL path");
        }
        return value;
    }
}
