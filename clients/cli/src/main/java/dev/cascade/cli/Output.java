package dev.cascade.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Function;

/**
 * Where a command's result goes: with {@code -o json} the manager's answer, pretty-printed; with {@code -o table}
 * (the default) aligned columns for lists and {@code key: value} lines for one object, with nested lists as
 * indented sections. Results go to stdout; hints and errors to stderr, so stdout stays parseable.
 */
final class Output {
    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;

    Output(PrintWriter out, PrintWriter err, OutputFormat format) {
        this.out = out;
        this.err = err;
        this.format = format;
    }

    boolean json() {
        return format == OutputFormat.JSON;
    }

    /** One object: the body as JSON, or the fields. */
    void object(JsonNode body, Function<JsonNode, Fields> fields, Section... sections) {
        if (json()) {
            out.println(Json.pretty(body));
            return;
        }
        fields.apply(body).print(out);
        for (Section s : sections) {
            s.print(out, body);
        }
    }

    /** A list: the page (or, with --all, every item in one page) as JSON, or a table and a hint if more remain. */
    void list(Listing listing, Function<List<JsonNode>, Table> table) {
        if (json()) {
            out.println(Json.pretty(listing.json()));
            return;
        }
        table.apply(listing.items()).print(out, "");
        if (listing.next() != null) {
            err.println("(more: --all, or --cursor " + listing.next() + ")");
        }
    }

    /** A confirmation for an answer without a body (204); nothing with {@code -o json}. */
    void done(String message) {
        if (!json()) {
            out.println(message);
        }
    }

    /** A line to stdout whatever the format (a URL asked for with --srt and the like). */
    void line(String text) {
        out.println(text);
    }

    /** A note for the user on stderr. */
    void note(String text) {
        err.println(text);
    }

    /** A titled, indented part of one object's table view: a nested list ({@code nodes:}, {@code rules:}). */
    interface Section {
        void print(PrintWriter out, JsonNode body);

        /** {@code title:} then the table indented two spaces, or {@code title: none}. */
        static Section table(String title, Function<JsonNode, Table> table) {
            return (out, body) -> {
                Table t = table.apply(body);
                if (t.isEmpty()) {
                    out.println(title + ": none");
                } else {
                    out.println(title + ":");
                    t.print(out, "  ");
                }
            };
        }
    }
}
