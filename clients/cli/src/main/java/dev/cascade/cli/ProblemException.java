package dev.cascade.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** The manager refused the request with a problem; exit 1. */
final class ProblemException extends CliFailure {
    ProblemException(Problem problem, OptionalLong retryAfterSeconds, boolean sentKey) {
        super(ANSWERED_ERROR, lines(problem, retryAfterSeconds, sentKey));
    }

    private static List<String> lines(Problem problem, OptionalLong retryAfterSeconds, boolean sentKey) {
        List<String> lines = new ArrayList<>();
        lines.add(problem.line());
        retryAfterSeconds.ifPresent(s -> lines.add("the manager asks to retry after " + s + " s"));
        if (problem.status() == 401 && !sentKey) {
            lines.add("no API key was sent: pass --key, set " + Cascadectl.KEY_VARIABLE + ", or put the key in "
                    + Cascadectl.KEY_FILE_DISPLAY);
        }
        return lines;
    }
}
