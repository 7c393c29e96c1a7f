package dev.cascade.protocol.sdp;

import java.util.Locale;

/**
 * {@code a=setup:}, RFC 4145 section 4 as DTLS-SRTP uses it (RFC 8842 section 5): who starts the
 * DTLS handshake. Offers say actpass; an ICE-lite server answers passive and lets the browser
 * (active) send the ClientHello.
 */
public enum Setup implements SdpAttribute {
    ACTPASS, ACTIVE, PASSIVE, HOLDCONN;

    public static final String NAME = "setup";

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Setup parse(String value) {
        return switch (value.strip()) {
            case "actpass" -> ACTPASS;
            case "active" -> ACTIVE;
            case "passive" -> PASSIVE;
            case "holdconn" -> HOLDCONN;
            default -> throw new SdpParseException("setup '" + value + "' is not actpass, active, passive or holdconn");
        };
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
