package dev.cascade.manager.state;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an API key may do: {@code read-only} may GET, {@code admin} may do everything. */
public enum ApiRole {
    ADMIN("admin"), READ_ONLY("read-only");

    private final String wire;

    ApiRole(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wireName() {
        return wire;
    }

    @JsonCreator
    public static ApiRole fromWire(String s) {
        for (ApiRole r : values()) {
            if (r.wire.equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("must be admin or read-only (got '" + s + "')");
    }
}
