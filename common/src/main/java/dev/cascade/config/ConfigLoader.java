package dev.cascade.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Builds a typed configuration record: shipped defaults (a YAML resource, the only place defaults
 * live), then a YAML file, then environment variables with the program's prefix, then
 * {@code key=value} overrides. Every layer may only name keys that the defaults define, so a typo is
 * an error that names it rather than a silently ignored setting. The record's own validation runs
 * last and names the first bad key.
 *
 * @param <T> the configuration record
 */
public final class ConfigLoader<T> {
    private final Class<T> type;
    private final String defaultsResource;
    private final String envPrefix;
    private final UnaryOperator<T> validate;

    /**
     * @param defaultsResource classpath resource with every key and its default
     * @param envPrefix e.g. {@code CASCADE_}: {@code CASCADE_SRT_LATENCY_MS} sets {@code srt.latencyMs}
     * @param validate throws {@link ConfigException} for a value that cannot work
     */
    public ConfigLoader(Class<T> type, String defaultsResource, String envPrefix, UnaryOperator<T> validate) {
        this.type = type;
        this.defaultsResource = defaultsResource;
        this.envPrefix = envPrefix;
        this.validate = validate;
    }

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);

    public T load(Path file, Map<String, String> env, Map<String, String> overrides) {
        ObjectNode tree = defaults();
        if (file != null) {
            JsonNode user;
            try {
                user = yaml.readTree(Files.readString(file));
            } catch (IOException e) {
                throw new ConfigException(file.toString(), "cannot read: " + e.getMessage());
            }
            if (user != null && !user.isMissingNode() && !user.isNull()) {
                merge(tree, user, "");
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (e.getKey().startsWith(envPrefix)) {
                String path = resolveEnv(tree, e.getKey().substring(envPrefix.length()));
                if (path != null) {
                    set(tree, path, e.getValue());
                }
            }
        }
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            set(tree, e.getKey(), e.getValue());
        }
        try {
            return validate.apply(yaml.treeToValue(tree, type));
        } catch (JsonMappingException e) {
            String key = e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining("."));
            throw new ConfigException(key, "invalid value: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException("(config)", e.getMessage());
        }
    }

    /** The shipped defaults as a tree. */
    public ObjectNode defaults() {
        try (InputStream in = type.getResourceAsStream(defaultsResource)) {
            if (in == null) {
                throw new IllegalStateException("shipped defaults " + defaultsResource + " missing from the classpath");
            }
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read shipped defaults " + defaultsResource, e);
        }
    }

    private static void merge(ObjectNode target, JsonNode source, String prefix) {
        if (!source.isObject()) {
            throw new ConfigException(prefix.isEmpty() ? "(root)" : prefix, "must be a mapping");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode existing = target.get(e.getKey());
            if (existing == null) {
                throw new ConfigException(key, "unknown key");
            }
            if (existing.isObject()) {
                merge((ObjectNode) existing, e.getValue(), key);
            } else {
                if (e.getValue().isObject() || e.getValue().isArray()) {
                    throw new ConfigException(key, "must be a single value");
                }
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    /** Sets {@code a.b.c} to a scalar given as text; the record binding checks its type. */
    static void set(ObjectNode tree, String path, String value) {
        String[] parts = path.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || !child.isObject()) {
                throw new ConfigException(path, "unknown key");
            }
            node = (ObjectNode) child;
        }
        JsonNode leaf = node.get(parts[parts.length - 1]);
        if (leaf == null || leaf.isObject()) {
            throw new ConfigException(path, "unknown key");
        }
        JsonNode parsed;
        if (leaf.isFloatingPointNumber()) {
            parsed = decimal(path, value);
        } else if (leaf.isNumber()) {
            parsed = number(path, value);
        } else if (leaf.isBoolean()) {
            parsed = bool(path, value);
        } else {
            parsed = TextNode.valueOf(value);
        }
        node.set(parts[parts.length - 1], parsed);
    }

    private static JsonNode number(String path, String value) {
        try {
            return com.fasterxml.jackson.databind.node.LongNode.valueOf(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new ConfigException(path, "must be a whole number (got '" + value + "')");
        }
    }

    private static JsonNode decimal(String path, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(d);
        } catch (NumberFormatException e) {
            throw new ConfigException(path, "must be a number (got '" + value + "')");
        }
    }

    private static JsonNode bool(String path, String value) {
        return switch (value.trim()) {
            case "true" -> com.fasterxml.jackson.databind.node.BooleanNode.TRUE;
            case "false" -> com.fasterxml.jackson.databind.node.BooleanNode.FALSE;
            default -> throw new ConfigException(path, "must be true or false (got '" + value + "')");
        };
    }

    /**
     * Maps {@code SRT_LATENCY_MS} to {@code srt.latencyMs}: at each level, the key whose lower-cased
     * name equals the next one or more underscore-separated words joined. Returns null for variables
     * that do not start with a section name (other programs' CASCADE_* settings), and throws for a
     * known section with an unknown key.
     */
    String resolveEnv(ObjectNode tree, String suffix) {
        String[] words = suffix.toLowerCase(Locale.ROOT).split("_");
        StringBuilder path = new StringBuilder();
        JsonNode node = tree;
        int i = 0;
        while (i < words.length) {
            if (!node.isObject()) {
                return null;
            }
            String match = null;
            int used = 0;
            StringBuilder joined = new StringBuilder();
            for (int j = i; j < words.length; j++) {
                joined.append(words[j]);
                for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (k.toLowerCase(Locale.ROOT).equals(joined.toString())) {
                        match = k;
                        used = j - i + 1;
                    }
                }
                if (match != null) {
                    break;
                }
            }
            if (match == null) {
                if (i == 0) {
                    return null;
                }
                throw new ConfigException(envPrefix + suffix, "no such key under " + path);
            }
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(match);
            node = node.get(match);
            i += used;
        }
        if (node.isObject()) {
            throw new ConfigException(envPrefix + suffix, "names a section, not a key");
        }
        return path.toString();
    }
}
