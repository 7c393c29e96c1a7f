package dev.cascade.protocol.sdp;

import java.util.Objects;

/**
 * One {@code <type>=<value>} line (RFC 8866 section 5), kept verbatim. For attribute lines
 * ({@code a=}) {@link #attributeName} and {@link #attributeValue} split {@code name[:value]}.
 *
 * @param type  a lowercase letter
 * @param value everything after the '=', without the line ending
 */
public record SdpLine(char type, String value) {
    public SdpLine {
        Objects.requireNonNull(value, "value");
        if (type < 'a' || type > 'z') {
            throw new IllegalArgumentException("SDP line type '" + type + "'");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("SDP line value with CR, LF or NUL");
        }
    }

    public static SdpLine of(char type, String value) {
        return new SdpLine(type, value);
    }

    /** {@code a=name:value}. */
    public static SdpLine attribute(String name, String value) {
        return new SdpLine('a', name + ":" + value);
    }

    /** A property attribute without a value: {@code a=name}. */
    public static SdpLine flag(String name) {
        return new SdpLine('a', name);
    }

    public boolean isAttribute() {
        return type == 'a';
    }

    /** For {@code a=} lines: the part before the first ':' (or the whole value); null for other lines. */
    public String attributeName() {
        if (type != 'a') {
            return null;
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }

    /** For {@code a=} lines: the part after the first ':', or null for a property attribute or another line type. */
    public String attributeValue() {
        if (type != 'a') {
            return null;
        }
        int colon = value.indexOf(':');
        return colon < 0 ? null : value.substring(colon + 1);
    }

    /** Whether this is {@code a=name} or {@code a=name:...}. */
    public boolean isAttribute(String name) {
        return type == 'a' && value.startsWith(name)
                && (value.length() == name.length() || value.charAt(name.length()) == ':');
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}
