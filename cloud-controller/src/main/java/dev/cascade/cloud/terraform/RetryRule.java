package dev.cascade.cloud.terraform;

import java.util.List;

/**
 * Which failures another attempt could fix.
 *
 * <ul>
 *   <li>{@code synth}: never. The root configuration is built from the deployment alone, so a second try builds
 *       the same one.</li>
 *   <li>{@code init}, {@code plan}, {@code apply}, {@code destroy}, {@code output}: yes (a provider download,
 *       a cloud API call, a machine that did not come up, a node that failed to start), unless an error
 *       diagnostic says the configuration itself is wrong: its summary starts with one of
 *       {@link #CONFIGURATION_ERRORS} ("Invalid value for variable", "Unsupported argument", "Missing required
 *       argument", "Reference to undeclared ...", a failed precondition...). Terraform reports those before it
 *       changes anything, and they stay wrong until someone edits the settings or the module.</li>
 *   <li>A timeout: never. The attempt used its whole budget; the caller decides whether to wait that long
 *       again.</li>
 * </ul>
 */
public final class RetryRule {
    /** Summary prefixes of the diagnostics that mean "the configuration is wrong", not "the world was unlucky". */
    public static final List<String> CONFIGURATION_ERRORS = List.of(
            "Invalid", "Unsupported", "Missing required", "Extraneous", "Reference to undeclared",
            "Undeclared", "Duplicate", "Unreadable module", "Module not found", "Unsuitable value type",
            "Incorrect attribute value type", "Incorrect value type", "Error in function call",
            "Variables not allowed", "Function calls not allowed", "Unknown variable",
            "Resource precondition failed", "Module precondition failed", "Cycle",
            "Failed to query available provider packages", "Incompatible provider version",
            "Unsupported Terraform Core version", "Provider configuration not present");

    /**
     * Summaries that mean the working directory needs {@code terraform init} (a module, provider or backend
     * it has not installed): retryable, after a fresh init.
     */
    public static final List<String> NEEDS_INIT = List.of(
            "Module not installed", "Required plugins are not installed", "Backend initialization required",
            "Inconsistent dependency lock file", "Missing required provider", "Module source has changed",
            "Backend configuration changed", "Provider requirements cannot be satisfied by locked dependencies");

    private RetryRule() {
    }

    public static boolean retryable(String phase, boolean timedOut, List<Diagnostic> errors) {
        if ("synth".equals(phase) || "lock".equals(phase) || timedOut) {
            return false;
        }
        if (needsInit(errors)) {
            return true;
        }
        return errors.stream().noneMatch(RetryRule::isConfigurationError);
    }

    public static boolean isConfigurationError(Diagnostic d) {
        return d.isError() && CONFIGURATION_ERRORS.stream().anyMatch(p -> d.summary().startsWith(p));
    }

    public static boolean needsInit(List<Diagnostic> errors) {
        return errors.stream().anyMatch(d -> d.isError() && NEEDS_INIT.stream().anyMatch(p -> d.summary().startsWith(p)));
    }
}
