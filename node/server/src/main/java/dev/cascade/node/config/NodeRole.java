package dev.cascade.node.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The role of a node (ARCHITECTURE.md section 2). A transcoder is no media server: it listens on no
 * SRT port (its ffmpeg processes call the origin), so its default SRT port is 0, none.
 */
public enum NodeRole {
    ORIGIN(9000, 8100),
    RELAY(9050, 8150),
    EDGE(9100, 8180),
    TRANSCODER(0, 8200);

    private final int defaultSrtPort;
    private final int defaultHttpPort;

    NodeRole(int defaultSrtPort, int defaultHttpPort) {
        this.defaultSrtPort = defaultSrtPort;
        this.defaultHttpPort = defaultHttpPort;
    }

    public int defaultSrtPort() {
        return defaultSrtPort;
    }

    public int defaultHttpPort() {
        return defaultHttpPort;
    }

    /** The role this one pulls from, or null for an origin and a transcoder (which pulls from the origin its job names). */
    public NodeRole upstream() {
        return switch (this) {
            case ORIGIN, TRANSCODER -> null;
            case RELAY -> ORIGIN;
            case EDGE -> RELAY;
        };
    }

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static NodeRole parse(String s) {
        for (NodeRole r : values()) {
            if (r.wireName().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not one of origin, relay, edge, transcoder");
    }
}
