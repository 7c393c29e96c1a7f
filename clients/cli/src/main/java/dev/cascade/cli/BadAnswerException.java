package dev.cascade.cli;

import java.util.List;

/** The manager answered, but not with something cascadectl can use (not JSON, no problem body, a field missing); exit 1. */
final class BadAnswerException extends CliFailure {

    BadAnswerException(String line) {
        super(ANSWERED_ERROR, List.of(line));
    }
}
