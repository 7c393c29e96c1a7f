package dev.cascade.protocol.aac;

import dev.cascade.protocol.ParseException;

/** Malformed ADTS header or frame sequence (ISO/IEC 14496-3 1.A.2). */
public final class AdtsParseException extends ParseException {
    public AdtsParseException(String message) {
        super(message);
    }
}
