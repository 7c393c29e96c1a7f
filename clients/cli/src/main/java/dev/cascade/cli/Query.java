package dev.cascade.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Query parameters in the order added; null values are left out. Percent-encoded per RFC 3986 (space is %20). */
final class Query {
    private final List<Map.Entry<String, String>> parameters = new ArrayList<>();

    static Query none() {
        return new Query();
    }

    Query add(String name, Object value) {
        if (value != null) {
            parameters.add(Map.entry(name, value.toString()));
        }
        return this;
    }

    Query copy() {
        Query copy = new Query();
        copy.parameters.addAll(parameters);
        return copy;
    }

    /** {@code ""}, or {@code ?a=1&b=2}. */
    String suffix() {
        if (parameters.isEmpty()) {
            return "";
        }
        StringJoiner joined = new StringJoiner("&", "?", "");
        parameters.forEach(p -> joined.add(encode(p.getKey()) + "=" + encode(p.getValue())));
        return joined.toString();
    }

    /** Percent-encodes a query value or a path segment. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
