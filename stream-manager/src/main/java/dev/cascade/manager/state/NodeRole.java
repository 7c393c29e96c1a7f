package dev.cascade.manager.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A node's role, written in lower case on the wire as the node's own {@code --role} is. */
public enum NodeRole {
    ORIGIN, RELAY, EDGE, TRANSCODER;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Accepts the wire name only, so {@code "Edge"} or {@code "EDGE"} is a bad value, not a guess. */
    @JsonCreator
    public static NodeRole fromWire(String s) {
        for (NodeRole r : values()) {
            if (r.wireName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("must be one of origin, relay, edge, transcoder (got '" + s + "')");
    }
}
