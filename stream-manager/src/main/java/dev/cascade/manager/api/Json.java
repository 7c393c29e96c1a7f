package dev.cascade.manager.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cascade.manager.state.InvalidValueException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * JSON in and out. Reading is strict, so a client's mistake is named rather than guessed at: unknown
 * fields, a string where a number belongs ({@code "5"} is not 5), a float where an integer belongs, a
 * null for a required value, and trailing garbage are all errors, each mapped to its own problem type.
 */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Enum, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
            .build();

    private Json() {}

    public static Buffer write(Object value) {
        try {
            return Buffer.buffer(MAPPER.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
        }
    }

    /** Reads a request body as {@code type}, or throws the {@link ApiException} that names what is wrong. */
    public static <T> T read(Buffer body, Class<T> type) {
        if (body == null || body.length() == 0) {
            throw new ApiException(400, "bad-json", "Malformed JSON", "the request needs a JSON body");
        }
        try {
            T value = MAPPER.readValue(body.getBytes(), type);
            if (value == null) {
                throw new ApiException(400, "bad-type", "Wrong type", "the body must be a JSON object, not null");
            }
            return value;
        } catch (JsonParseException e) {
            throw new ApiException(400, "bad-json", "Malformed JSON", "not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (UnrecognizedPropertyException e) {
            throw new ApiException(400, "unknown-field", "Unknown field", "unknown field '" + path(e) + "'");
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidValueException iv) {
                String prefix = path(e); // the object whose constructor refused; the field is in the message
                throw ApiException.invalidValue((prefix.isEmpty() ? "" : prefix + ".") + iv.getMessage());
            }
            throw ApiException.invalidValue(path(e) + ": " + (cause != null ? cause.getMessage() : e.getOriginalMessage()));
        } catch (InvalidFormatException e) {
            throw new ApiException(400, "bad-type", "Wrong type", "field '" + path(e) + "': "
                    + (e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage()
                    : "cannot take " + describe(e.getValue()) + " (expected " + e.getTargetType().getSimpleName().toLowerCase() + ")"));
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw new ApiException(400, "bad-type", "Wrong type", (field.isEmpty() ? "the body" : "field '" + field + "'")
                    + " has the wrong type (expected " + expected(e) + ")");
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause();
            String detail = cause instanceof IllegalArgumentException iae ? iae.getMessage() : e.getOriginalMessage();
            throw new ApiException(400, "bad-type", "Wrong type", "field '" + path(e) + "': " + detail);
        } catch (IOException e) {
            throw new ApiException(400, "bad-json", "Malformed JSON", e.getMessage());
        }
    }

    private static String expected(MismatchedInputException e) {
        Class<?> t = e.getTargetType();
        if (t == null) {
            return "another type";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "an integer";
        }
        if (t == Double.class || t == double.class) {
            return "a number";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(t)) {
            return "an array";
        }
        return "an object";
    }

    private static String describe(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }

    static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
