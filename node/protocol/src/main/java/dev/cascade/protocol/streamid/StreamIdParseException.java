package dev.cascade.protocol.streamid;

import dev.cascade.protocol.ParseException;

/**
 * A stream ID that cannot be served, with the SRT reject code to answer it with
 * (SRT access-control spec, "Rejection codes": 1000+ for SRT-specific, 1400+ mirroring HTTP).
 */
public final class StreamIdParseException extends ParseException {
    /** SRT_REJX_BAD_REQUEST: general syntax error in the stream ID. */
    public static final int BAD_REQUEST = 1400;
    /** SRT_REJX_KEY_NOTSUP: a key in the keyed string is not supported by this service. */
    public static final int KEY_NOTSUP = 1001;
    /** SRT_REJX_BAD_MODE: the {@code m} key names a mode we do not support. */
    public static final int BAD_MODE = 1405;

    private final int rejectCode;
    private final String reason;

    public StreamIdParseException(int rejectCode, String reason, String message) {
        super(message);
        this.rejectCode = rejectCode;
        this.reason = reason;
    }

    /** SRT reject code to send back (1400, 1001 or 1405). */
    public int rejectCode() {
        return rejectCode;
    }

    /** Short machine-readable reason, used as a metric label ({@code bad_streamid}, ...). */
    public String reason() {
        return reason;
    }
}
