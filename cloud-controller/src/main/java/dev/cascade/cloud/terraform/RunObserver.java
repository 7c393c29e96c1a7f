package dev.cascade.cloud.terraform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one Terraform run's {@code -json} output: turns each line into a progress event with its phase, and
 * keeps the diagnostics for the error report.
 *
 * <p>Phases: an {@code init} run stays in {@code init}. An apply run starts in {@code plan} (refresh, planned
 * changes, the plan's change summary) and moves to its apply phase ({@code apply}, or {@code destroy} for
 * {@code apply -destroy}) at the first {@code apply_*} or {@code provision_*} line, or at the final change
 * summary when there was nothing to change. So an error diagnostic before any change was made is a
 * {@code plan} failure, and one after is an {@code apply} failure.
 */
public final class RunObserver {
    private static final Logger LOG = LoggerFactory.getLogger(RunObserver.class);
    private static final int KEEP_TEXT_LINES = 40;
    private static final Set<String> APPLYING = Set.of("apply_start", "apply_progress", "apply_complete",
            "apply_errored", "provision_start", "provision_progress", "provision_complete", "provision_errored");

    private final String applyPhase;
    private final BiConsumer<String, String> sink;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Deque<String> textLines = new ArrayDeque<>();
    private String phase;

    /**
     * @param firstPhase {@code init}, or {@code plan} for an apply run
     * @param applyPhase the phase the run moves to once it changes things ({@code apply} or {@code destroy});
     *                   same as firstPhase for a run that never moves
     * @param sink       receives (phase, message) for each reported line
     */
    public RunObserver(String firstPhase, String applyPhase, BiConsumer<String, String> sink) {
        this.phase = firstPhase;
        this.applyPhase = applyPhase;
        this.sink = sink;
    }

    /** An observer of an {@code init} run. */
    public static RunObserver init(BiConsumer<String, String> sink) {
        return new RunObserver("init", "init", sink);
    }

    /** An observer of {@code apply} (or with {@code destroy}, {@code apply -destroy}). */
    public static RunObserver apply(String applyPhase, BiConsumer<String, String> sink) {
        return new RunObserver("plan", applyPhase, sink);
    }

    /** Feeds one stdout line. */
    public void line(String line) {
        if (line.isBlank()) {
            return;
        }
        TerraformEvent e = TerraformEvent.parse(line);
        LOG.debug("terraform {}: {}", phase, line);
        if (APPLYING.contains(e.type())
                || ("change_summary".equals(e.type()) && e.operation() != null && !"plan".equals(e.operation()))) {
            phase = applyPhase;
        }
        switch (e.type()) {
            case "version" -> {
                return;
            }
            case "diagnostic" -> {
                Diagnostic d = e.diagnostic();
                if (d == null) {
                    return;
                }
                diagnostics.add(d);
                if (d.isError()) {
                    LOG.warn("terraform {}: {}", phase, d.oneLine());
                }
                sink.accept(phase, d.oneLine());
                return;
            }
            case TerraformEvent.TEXT -> {
                keepText(e.message());
                sink.accept(phase, e.message());
                return;
            }
            default -> {
                String m = firstLine(e.message());
                if (!m.isEmpty()) {
                    sink.accept(phase, m);
                }
            }
        }
    }

    /** Feeds one stderr line (plain text: crash reports, CLI configuration warnings). */
    public void errorLine(String line) {
        if (!line.isBlank()) {
            LOG.debug("terraform {} stderr: {}", phase, line);
            keepText(line);
        }
    }

    /** The phase the run was in at its last line. */
    public String phase() {
        return phase;
    }

    public List<Diagnostic> diagnostics() {
        return List.copyOf(diagnostics);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    /**
     * What to show for a failed run: the error diagnostics, or when there are none (Terraform crashed, could
     * not parse its flags...) the last plain-text lines it printed.
     */
    public String errorReport() {
        List<Diagnostic> errors = errors();
        if (!errors.isEmpty()) {
            return errors.stream().map(Diagnostic::render).collect(Collectors.joining("\n\n"));
        }
        return String.join("\n", textLines);
    }

    private void keepText(String line) {
        if (isNoise(line)) {
            return;
        }
        textLines.addLast(line);
        if (textLines.size() > KEEP_TEXT_LINES) {
            textLines.removeFirst();
        }
    }

    /** Box-drawing frames and the warning about a missing CLI configuration file carry nothing. */
    private static boolean isNoise(String line) {
        String s = line.strip();
        return s.isEmpty() || s.equals("╷") || s.equals("╵") || s.equals("│")
                || s.startsWith("There are some problems with the CLI configuration")
                || s.contains("Unable to open CLI configuration file")
                || s.contains("The CLI configuration file at");
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
