package dev.cascade.node.webrtc;

import java.util.concurrent.CompletableFuture;

/** What the HTTP layer needs from WHEP and WHIP alike: take an offer, end a session. */
public interface WebRtcHttpEndpoint {
    /**
     * The outcome of an offer: 201 with an answer and the session's Location, or a refusal.
     *
     * @param problemType       a refusal's RFC 9457 problem type URI (null: about:blank)
     * @param retryAfterSeconds a refusal's Retry-After, 0 for none
     */
    record Result(int status, String reason, String detail, String answer, String location, String problemType,
                  int retryAfterSeconds) {
        public Result(int status, String reason, String detail, String answer, String location) {
            this(status, reason, detail, answer, location, null, 0);
        }

        public static Result refused(int status, String reason, String detail) {
            return new Result(status, reason, detail, null, null);
        }
    }

    /** The URL prefix, {@code whep} or {@code whip}. */
    String prefix();

    CompletableFuture<Result> offer(String app, String name, String sdp);

    /** Ends a session; false when there is no such session. */
    boolean delete(String sessionId);
}
