package dev.cascade.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** No stream manager answered; exit 3. Names every URL tried and why it failed. */
final class UnreachableException extends CliFailure {

    private UnreachableException(List<String> lines) {
        super(UNREACHABLE, lines);
    }

    /** Every manager failed before the request could be delivered (or, for GET/PUT/DELETE, answered). */
    static UnreachableException allFailed(List<String> attempts, boolean defaultManager) {
        List<String> lines = new ArrayList<>();
        lines.add("cannot reach the stream manager: " + String.join(", ", attempts));
        if (defaultManager) {
            lines.add("that is the default; point --manager or " + Cascadectl.MANAGER_VARIABLE + " at the cluster's "
                    + "stream managers");
        }
        return new UnreachableException(lines);
    }

    /** A POST was sent but no answer came: it is not retried elsewhere, since it may have taken effect. */
    static UnreachableException noAnswer(URI uri, String reason) {
        return new UnreachableException(List.of("no answer from " + uri + " (" + reason + "); the request may have "
                + "taken effect: check before retrying"));
    }

    static UnreachableException interrupted(URI uri) {
        return new UnreachableException(List.of("interrupted while waiting for " + uri));
    }
}
