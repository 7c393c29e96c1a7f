package dev.cascade.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of cascadectl sees of the world: environment variables, the home directory (for
 * {@code ~/.cascade/admin-key}) and the standard streams. Tests pass their own; {@link #system()} is the real one.
 */
public record CliEnvironment(Map<String, String> variables, Path home, InputStream in, PrintWriter out,
        PrintWriter err) {

    public static CliEnvironment system() {
        return new CliEnvironment(System.getenv(), Path.of(System.getProperty("user.home")), System.in,
                new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** The variable, trimmed, when it is set and not blank. */
    Optional<String> variable(String name) {
        String value = variables.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
