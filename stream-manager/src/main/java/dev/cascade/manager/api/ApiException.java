package dev.cascade.manager.api;

/**
 * A request that gets a specific 4xx (or 503) answer: an RFC 9457 problem whose type is
 * {@code https://cascade.dev/problems/<slug>}. The slug is also the metric's reason label.
 */
public final class ApiException extends RuntimeException {
    public static final String TYPE_PREFIX = "https://cascade.dev/problems/";

    private final int status;
    private final String slug;
    private final String title;
    private final Integer retryAfterSeconds;

    public ApiException(int status, String slug, String title, String detail) {
        this(status, slug, title, detail, null);
    }

    public ApiException(int status, String slug, String title, String detail, Integer retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public static ApiException badParameter(String detail) {
        return new ApiException(400, "bad-parameter", "Bad parameter", detail);
    }

    public static ApiException invalidValue(String detail) {
        return new ApiException(400, "invalid-value", "Invalid value", detail);
    }

    public static ApiException notFound(String slug, String detail) {
        return new ApiException(404, slug, "Not found", detail);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(409, "conflict", "Conflict", detail);
    }

    public static ApiException noCapacity(String detail, int retryAfterSeconds) {
        return new ApiException(503, "no-capacity", "No capacity", detail, retryAfterSeconds);
    }
}
