package dev.cascade.config;

/** A configuration error that names the offending key, e.g. {@code srt.latencyMs: must be ...}. */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
