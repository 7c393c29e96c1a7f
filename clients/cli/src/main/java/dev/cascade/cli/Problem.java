package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * An RFC 9457 problem as the stream manager sends it: {@code type} is
 * {@code https://cascade.dev/problems/<slug>}, and {@code title}, {@code status} are always present.
 */
record Problem(String type, String title, int status, String detail) {
    static final String TYPE_PREFIX = "https://cascade.dev/problems/";

    /** The slug for a Cascade problem type, else the whole type URI. */
    String slug() {
        return type.startsWith(TYPE_PREFIX) ? type.substring(TYPE_PREFIX.length()) : type;
    }

    /** {@code <title> (<status> <slug>): <detail>}, without the colon part when there is no detail. */
    String line() {
        String head = title + " (" + status + " " + slug() + ")";
        return detail == null || detail.isBlank() ? head : head + ": " + detail;
    }

    /**
     * Reads a problem from an error answer: a JSON object with a {@code type} or {@code title}. The HTTP
     * status wins over the body's {@code status}; a missing type is {@code about:blank} (RFC 9457 section 4.2.1).
     */
    static Optional<Problem> from(int httpStatus, JsonNode body) {
        if (body == null || !body.isObject() || !(body.hasNonNull("type") || body.hasNonNull("title"))) {
            return Optional.empty();
        }
        String type = body.path("type").asText("about:blank");
        String title = body.hasNonNull("title") ? body.get("title").asText() : "HTTP " + httpStatus;
        String detail = body.hasNonNull("detail") ? body.get("detail").asText() : null;
        return Optional.of(new Problem(type.isBlank() ? "about:blank" : type, title, httpStatus, detail));
    }
}
