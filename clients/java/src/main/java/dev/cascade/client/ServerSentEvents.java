package dev.cascade.client;

import java.util.function.Consumer;

/**
 * A parser of the WHATWG {@code text/event-stream} format (HTML, "Server-sent events", section
 * 9.2.6 "Interpreting an event stream"), fed line by line: {@code event:} names the event,
 * {@code data:} lines are joined with "\n", a blank line dispatches it, lines starting with
 * {@code :} are comments (keep-alives), one space after the colon is dropped. {@code id} and
 * {@code retry} are read and ignored. Not thread-safe.
 */
public final class ServerSentEvents {
    /** One dispatched event: its type ({@code message} when none was named) and its data. */
    public record Event(String type, String data) {}

    private final Consumer<Event> sink;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String type = "";
    /** Comments seen (keep-alives). */
    public long comments;

    public ServerSentEvents(Consumer<Event> sink) {
        this.sink = sink;
    }

    /** One line, without its line terminator. */
    public void line(String line) {
        if (line.isEmpty()) {
            if (hasData) {
                sink.accept(new Event(type.isEmpty() ? "message" : type, data.toString()));
            }
            data.setLength(0);
            hasData = false;
            type = "";
            return;
        }
        if (line.charAt(0) == ':') {
            comments++;
            return;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> type = value;
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            default -> { } // id, retry, unknown fields: ignored
        }
    }

    /**
     * The {@code url} of a WHEP {@code reconnect} event's JSON data ({"url": "..."}), or null when it
     * has none (the player then reconnects to the endpoint it used). Enough JSON for one string field.
     */
    public static String reconnectUrl(String json) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"url\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            return null;
        }
        String raw = m.group(1);
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char n = raw.charAt(++i);
                switch (n) {
                    case 'u' -> {
                        if (i + 4 < raw.length()) {
                            out.append((char) Integer.parseInt(raw.substring(i + 1, i + 5), 16));
                            i += 4;
                        }
                    }
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    default -> out.append(n); // \" \\ \/
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
