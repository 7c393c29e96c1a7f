package dev.cascade.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * JSON in and out. Numbers are read as written (no binary floating point in between), so {@code -o json}
 * prints the manager's values unchanged; the pretty form is jq's: two-space indent, {@code "key": value}.
 */
final class Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private static final ObjectWriter PRETTY = MAPPER.writer(new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private Json() {}

    static JsonNode parse(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static String compact(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serializes", e);
        }
    }

    /**
     * A value for a table cell or a {@code key: value} line: {@code -} when missing, null or an empty string;
     * objects as {@code k=v k=v}, arrays as {@code a,b}.
     */
    static String text(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "-";
        }
        if (v.isTextual()) {
            return v.asText().isEmpty() ? "-" : v.asText();
        }
        if (v.isBigDecimal()) {
            return v.decimalValue().toPlainString();
        }
        if (v.isObject()) {
            StringJoiner joined = new StringJoiner(" ");
            for (Map.Entry<String, JsonNode> field : v.properties()) {
                joined.add(field.getKey() + "=" + text(field.getValue()));
            }
            return joined.length() == 0 ? "-" : joined.toString();
        }
        if (v.isArray()) {
            StringJoiner joined = new StringJoiner(",");
            v.forEach(element -> joined.add(text(element)));
            return joined.length() == 0 ? "-" : joined.toString();
        }
        return v.asText();
    }

    /** A 0..1 fraction as a whole percentage ({@code 0.456} is {@code 46%}). */
    static String percent(JsonNode v) {
        return v != null && v.isNumber() ? Math.round(v.doubleValue() * 100) + "%" : text(v);
    }

    /** A number with one decimal ({@code 12.34} is {@code 12.3}). */
    static String oneDecimal(JsonNode v) {
        return v != null && v.isNumber() ? String.format(Locale.ROOT, "%.1f", v.doubleValue()) : text(v);
    }

    /** The number of elements of an array, {@code -} when it is absent. */
    static String count(JsonNode v) {
        return v != null && v.isArray() ? Integer.toString(v.size()) : "-";
    }
}
