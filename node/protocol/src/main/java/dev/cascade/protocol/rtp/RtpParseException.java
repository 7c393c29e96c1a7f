package dev.cascade.protocol.rtp;

import dev.cascade.protocol.ParseException;

/** Malformed RTP packet: wrong version, or a CSRC list, header extension or padding the packet cannot hold. */
public final class RtpParseException extends ParseException {
    public RtpParseException(String message) {
        super(message);
    }
}
