package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One object as {@code key: value} lines, the values aligned; the keys are the contract's field names. */
final class Fields {
    private final List<Map.Entry<String, String>> lines = new ArrayList<>();

    Fields add(String key, JsonNode value) {
        return add(key, Json.text(value));
    }

    Fields add(String key, String value) {
        lines.add(Map.entry(key, value));
        return this;
    }

    void print(PrintWriter out) {
        int width = lines.stream().mapToInt(l -> l.getKey().length()).max().orElse(0) + 1;
        for (Map.Entry<String, String> line : lines) {
            String label = line.getKey() + ":";
            out.println(label + " ".repeat(width - label.length() + 2) + line.getValue());
        }
    }
}
