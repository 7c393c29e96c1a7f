package dev.cascade.node.srt;

/**
 * The reject codes a Cascade listener answers with (SRT access-control spec, "Rejection codes";
 * {@code access_control.h}). The name is the metric label and the word used in docs.
 */
public enum SrtRejectCode {
    /** SRT_REJX_KEY_NOTSUP: the stream ID holds a key we do not support. */
    UNSUPPORTED_KEY(1001, "unsupported_key"),
    /** SRT_REJX_BAD_REQUEST: malformed stream ID. */
    BAD_STREAMID(1400, "bad_streamid"),
    /** SRT_REJX_UNAUTHORIZED. */
    UNAUTHORIZED(1401, "unauthorized"),
    /** SRT_REJX_OVERLOAD: the node refuses more sessions. */
    OVERLOAD(1402, "overload"),
    /** SRT_REJX_FORBIDDEN: e.g. publishing to a relay or an edge. */
    FORBIDDEN(1403, "forbidden"),
    /** SRT_REJX_NOTFOUND: no such stream. */
    NOT_FOUND(1404, "not_found"),
    /** SRT_REJX_BAD_MODE: the {@code m} key is neither publish nor request. */
    BAD_MODE(1405, "bad_mode"),
    /** SRT_REJX_CONFLICT: the stream already has a live publisher. */
    CONFLICT(1409, "conflict"),
    /** SRT_REJX_ISE: unexpected internal error while deciding. */
    INTERNAL_ERROR(1500, "internal_error");

    private final int code;
    private final String reason;

    SrtRejectCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public static SrtRejectCode ofCode(int code) {
        for (SrtRejectCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return BAD_STREAMID;
    }
}
