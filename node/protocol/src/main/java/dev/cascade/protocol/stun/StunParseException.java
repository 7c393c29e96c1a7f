package dev.cascade.protocol.stun;

import dev.cascade.protocol.ParseException;

/** Malformed STUN message: header, length, magic cookie, attribute layout or an attribute's value. */
public final class StunParseException extends ParseException {
    public StunParseException(String message) {
        super(message);
    }
}
