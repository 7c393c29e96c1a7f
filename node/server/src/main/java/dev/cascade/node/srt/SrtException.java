package dev.cascade.node.srt;

/** A failed libsrt call, with libsrt's error code ({@code SRT_ERRNO}) and, for rejections, the reject reason. */
public final class SrtException extends RuntimeException {
    private final int errorCode;
    private final int rejectReason;

    public SrtException(String message, int errorCode, int rejectReason) {
        super(message);
        this.errorCode = errorCode;
        this.rejectReason = rejectReason;
    }

    public int errorCode() {
        return errorCode;
    }

    /** SRT reject reason (below 1000 libsrt's own, 1000+ the peer's application code), or 0. */
    public int rejectReason() {
        return rejectReason;
    }

    static SrtException last(String call) {
        int code = SrtNative.srt_getlasterror(null);
        String text = SrtNative.srt_getlasterror_str();
        return new SrtException(call + " failed: " + text + " (" + code + ")", code, 0);
    }
}
