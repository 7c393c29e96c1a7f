package dev.cascade.protocol.opus;

import dev.cascade.protocol.ParseException;

/** Malformed Opus packet (RFC 6716) or Opus-in-MPEG-TS control header. */
public final class OpusParseException extends ParseException {
    public OpusParseException(String message) {
        super(message);
    }
}
