package dev.cascade.protocol.h264;

import dev.cascade.protocol.ParseException;

/** Malformed H.264 NAL unit, SPS or SEI (ITU-T H.264). */
public final class H264ParseException extends ParseException {
    public H264ParseException(String message) {
        super(message);
    }
}
