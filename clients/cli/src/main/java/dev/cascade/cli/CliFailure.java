package dev.cascade.cli;

import java.util.List;

/**
 * A failure that ends the run with a message on stderr (each line prefixed {@code cascadectl: }) and a
 * documented exit status. Usage errors are not these: they are picocli's {@code ParameterException}s (exit 2).
 */
abstract class CliFailure extends RuntimeException {
    /** The manager answered with an error, or with something cascadectl cannot use. */
    static final int ANSWERED_ERROR = 1;
    /** No stream manager could be reached. */
    static final int UNREACHABLE = 3;

    private final int exitCode;
    private final List<String> lines;

    CliFailure(int exitCode, List<String> lines) {
        super(String.join("; ", lines));
        this.exitCode = exitCode;
        this.lines = List.copyOf(lines);
    }

    int exitCode() {
        return exitCode;
    }

    List<String> lines() {
        return lines;
    }
}
