package dev.cascade.protocol.sdp;

import java.util.Locale;

/** Media direction attributes, RFC 8866 sections 6.7.1-6.7.4; sendrecv when none is given. */
public enum Direction implements SdpAttribute {
    SENDRECV, SENDONLY, RECVONLY, INACTIVE;

    /** {@code sendrecv}, {@code sendonly}, ... */
    public String attributeName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction of an answer that accepts this offer (RFC 8829 5.3.1): sendonly and recvonly swap. */
    public Direction reversed() {
        return switch (this) {
            case SENDONLY -> RECVONLY;
            case RECVONLY -> SENDONLY;
            default -> this;
        };
    }

    public boolean sends() {
        return this == SENDRECV || this == SENDONLY;
    }

    public boolean receives() {
        return this == SENDRECV || this == RECVONLY;
    }

    /** The direction named {@code name}, or null when it is not one. */
    public static Direction fromAttributeName(String name) {
        return switch (name) {
            case "sendrecv" -> SENDRECV;
            case "sendonly" -> SENDONLY;
            case "recvonly" -> RECVONLY;
            case "inactive" -> INACTIVE;
            default -> null;
        };
    }

    /** Like {@link #fromAttributeName}, throwing for anything else. */
    public static Direction parse(String name) {
        Direction d = fromAttributeName(name);
        if (d == null) {
            throw new SdpParseException("direction '" + name + "' is not sendrecv, sendonly, recvonly or inactive");
        }
        return d;
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.flag(attributeName());
    }
}
