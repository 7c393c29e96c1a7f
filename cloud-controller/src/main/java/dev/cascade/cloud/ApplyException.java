package dev.cascade.cloud;

/**
 * An apply, synthesis or destroy that failed: which phase, Terraform's exit code and its diagnostics.
 *
 * <p>Phases: {@code lock} (interrupted while waiting for the working directory), {@code synth}, {@code init},
 * {@code plan}, {@code apply}, {@code destroy}, {@code output}. The exit code is Terraform's; -1 when there was
 * no exit code (synthesis, a timeout, an interruption, Terraform that could not be started).
 */
public final class ApplyException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The most of Terraform's diagnostics kept in {@link #output()}. */
    public static final int MAX_OUTPUT_CHARS = 4096;

    private final String name;
    private final String cloud;
    private final String phase;
    private final int exitCode;
    private final String output;
    private final int attempts;
    private final boolean timedOut;
    private final boolean retryable;

    public ApplyException(String name, String cloud, String phase, int exitCode, String output, int attempts,
                          boolean timedOut, boolean retryable, Throwable cause) {
        super(message(name, cloud, phase, exitCode, output, attempts, timedOut), cause);
        this.name = name;
        this.cloud = cloud;
        this.phase = phase;
        this.exitCode = exitCode;
        this.output = trim(output == null ? "" : output);
        this.attempts = attempts;
        this.timedOut = timedOut;
        this.retryable = retryable;
    }

    /** The same failure after {@code n} attempts in all. */
    public ApplyException afterAttempts(int n) {
        return new ApplyException(name, cloud, phase, exitCode, output, n, timedOut, retryable, getCause());
    }

    public String name() {
        return name;
    }

    public String cloud() {
        return cloud;
    }

    /** {@code synth}, {@code init}, {@code plan}, {@code apply}, {@code destroy}, {@code output} or {@code lock}. */
    public String phase() {
        return phase;
    }

    /** Terraform's exit code, or -1. */
    public int exitCode() {
        return exitCode;
    }

    /** Terraform's error diagnostics ("Error: summary" then the detail), trimmed to {@value #MAX_OUTPUT_CHARS} characters. */
    public String output() {
        return output;
    }

    /** How many attempts were made before giving up. */
    public int attempts() {
        return attempts;
    }

    /** True when the attempt ran out of {@link CloudSettings#applyTimeout()} and its processes were stopped. */
    public boolean timedOut() {
        return timedOut;
    }

    /** Whether another attempt could succeed (see the README's retry rule). */
    public boolean retryable() {
        return retryable;
    }

    static String trim(String s) {
        String t = s.strip();
        if (t.length() <= MAX_OUTPUT_CHARS) {
            return t;
        }
        String marker = "\n... (" + (t.length() - MAX_OUTPUT_CHARS) + " more characters)";
        return t.substring(0, MAX_OUTPUT_CHARS - marker.length()) + marker;
    }

    private static String message(String name, String cloud, String phase, int exitCode, String output, int attempts,
                                  boolean timedOut) {
        StringBuilder b = new StringBuilder().append(name).append('/').append(cloud).append(": ").append(phase);
        if (timedOut) {
            b.append(" timed out");
        } else {
            b.append(" failed");
            if (exitCode >= 0) {
                b.append(" (exit ").append(exitCode).append(')');
            }
        }
        if (attempts > 1) {
            b.append(" after ").append(attempts).append(" attempts");
        }
        String first = output == null ? "" : output.strip().lines().findFirst().orElse("");
        if (!first.isEmpty()) {
            b.append(": ").append(first.length() > 300 ? first.substring(0, 300) + "..." : first);
        }
        return b.toString();
    }
}
