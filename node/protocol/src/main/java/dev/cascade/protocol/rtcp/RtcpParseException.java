package dev.cascade.protocol.rtcp;

import dev.cascade.protocol.ParseException;

/** Malformed RTCP packet: version, length field, padding, counts or a feedback message's FCI. */
public final class RtcpParseException extends ParseException {
    public RtcpParseException(String message) {
        super(message);
    }
}
