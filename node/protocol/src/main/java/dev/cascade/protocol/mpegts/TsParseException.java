package dev.cascade.protocol.mpegts;

import dev.cascade.protocol.ParseException;

/** Malformed MPEG-TS packet, PSI section or PES header. */
public final class TsParseException extends ParseException {
    public TsParseException(String message) {
        super(message);
    }
}
