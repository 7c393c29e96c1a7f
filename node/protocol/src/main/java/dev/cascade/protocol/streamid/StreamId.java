package dev.cascade.protocol.streamid;

import java.util.Objects;

/**
 * A parsed SRT stream ID.
 *
 * <p>Syntax (SRT "Access Control" guidelines, docs/features/access-control.md in Haivision/srt):
 * {@code #!::key=value,key=value} where {@code r} is the resource ({@code app/name}) and {@code m}
 * the mode ({@code publish} or {@code request}; absent means {@code request}). We also accept a
 * bare {@code app/name} (mode request) because many encoders only let users type a path, and
 * {@code app/name?mode=publish}-style IDs are deliberately not accepted: one syntax, one parser.
 *
 * <p>Keys we understand: {@code r}, {@code m}, {@code t} (access token, see ARCHITECTURE.md
 * section 7; note the SRT guideline reserves {@code t} for "type", which no encoder sets in practice),
 * {@code u} (user), {@code s} (session), {@code h} (host) and {@code hop} (set by Cascade nodes on
 * node-to-node pulls so the answering node picks the inter-node latency). Any other key is
 * rejected with 1001 rather than silently ignored, so a typo such as {@code mode=publish} fails
 * loudly instead of turning a publisher into a viewer.
 *
 * @param app   application, e.g. {@code live}
 * @param name  stream name, e.g. {@code match1}, or a variant such as {@code match1_2}
 * @param mode  publish or request
 * @param token access token ({@code t=}), or null
 * @param user  user ({@code u=}), or null
 * @param hop   the role of the Cascade node that pulls ({@code hop=}), or null for an outside client
 */
public record StreamId(String app, String name, Mode mode, String token, String user, String hop) {

    /** What the caller wants to do with the stream. */
    public enum Mode {
        PUBLISH,
        REQUEST;

        public String wireName() {
            return this == PUBLISH ? "publish" : "request";
        }
    }

    /** Longest stream ID SRT carries (SRTO_STREAMID is limited to 512 bytes). */
    public static final int MAX_LENGTH = 512;
    /** Longest app or name segment we accept. */
    public static final int MAX_SEGMENT = 64;

    public StreamId {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
    }

    public static StreamId request(String app, String name) {
        return new StreamId(app, name, Mode.REQUEST, null, null, null);
    }

    public static StreamId publish(String app, String name) {
        return new StreamId(app, name, Mode.PUBLISH, null, null, null);
    }

    /** The stream key used throughout Cascade: {@code app/name}. */
    public String key() {
        return app + "/" + name;
    }

    public StreamId withHop(String hopRole) {
        return new StreamId(app, name, mode, token, user, hopRole);
    }

    /**
     * Parses a stream ID, throwing {@link StreamIdParseException} with the reject code to use.
     *
     * @param raw the SRTO_STREAMID value; null or empty is a bad request
     */
    public static StreamId parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw bad("empty stream ID");
        }
        if (raw.length() > MAX_LENGTH) {
            throw bad("stream ID longer than " + MAX_LENGTH + " characters");
        }
        if (!raw.startsWith("#!::")) {
            return fromResource(raw, Mode.REQUEST, null, null, null);
        }
        String resource = null;
        Mode mode = null;
        String token = null;
        String user = null;
        String hop = null;
        String body = raw.substring(4);
        if (body.isEmpty()) {
            throw bad("stream ID has no keys after #!::");
        }
        int start = 0;
        while (start <= body.length()) {
            int comma = body.indexOf(',', start);
            int end = comma < 0 ? body.length() : comma;
            String pair = body.substring(start, end);
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw bad("stream ID item '" + pair + "' is not key=value");
            }
            String key = pair.substring(0, eq);
            String value = pair.substring(eq + 1);
            switch (key) {
                case "r" -> resource = once(key, resource, value);
                case "m" -> {
                    if (mode != null) {
                        throw bad("stream ID key 'm' given twice");
                    }
                    mode = switch (value) {
                        case "publish" -> Mode.PUBLISH;
                        case "request" -> Mode.REQUEST;
                        default -> throw new StreamIdParseException(StreamIdParseException.BAD_MODE, "bad_mode",
                                "stream ID mode '" + value + "' is not supported (use publish or request)");
                    };
                }
                case "t" -> token = once(key, token, value);
                case "u" -> user = once(key, user, value);
                case "hop" -> hop = once(key, hop, value);
                case "s", "h" -> { /* session and host: accepted, not used by Cascade yet */ }
                default -> throw new StreamIdParseException(StreamIdParseException.KEY_NOTSUP, "unsupported_key",
                        "stream ID key '" + key + "' is not supported");
            }
            if (comma < 0) {
                break;
            }
            start = comma + 1;
        }
        if (resource == null) {
            throw bad("stream ID has no resource (r=app/name)");
        }
        return fromResource(resource, mode == null ? Mode.REQUEST : mode, token, user, hop);
    }

    private static String once(String key, String previous, String value) {
        if (previous != null) {
            throw bad("stream ID key '" + key + "' given twice");
        }
        if (value.isEmpty()) {
            throw bad("stream ID key '" + key + "' has an empty value");
        }
        return value;
    }

    private static StreamId fromResource(String resource, Mode mode, String token, String user, String hop) {
        int slash = resource.indexOf('/');
        if (slash < 0 || resource.indexOf('/', slash + 1) >= 0) {
            throw bad("stream resource '" + resource + "' must be app/name");
        }
        String app = resource.substring(0, slash);
        String name = resource.substring(slash + 1);
        checkSegment("app", app);
        checkSegment("name", name);
        return new StreamId(app, name, mode, token, user, hop);
    }

    private static void checkSegment(String what, String s) {
        if (s.isEmpty()) {
            throw bad("stream " + what + " is empty");
        }
        if (s.length() > MAX_SEGMENT) {
            throw bad("stream " + what + " longer than " + MAX_SEGMENT + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '.';
            if (!ok || (i == 0 && c == '.')) {
                throw bad("stream " + what + " '" + s + "' may hold only letters, digits, '_', '-' and '.' (not first)");
            }
        }
    }

    private static StreamIdParseException bad(String message) {
        return new StreamIdParseException(StreamIdParseException.BAD_REQUEST, "bad_streamid", message);
    }

    /** The canonical wire form, {@code #!::r=app/name,m=mode[,t=..][,u=..][,hop=..]}. */
    public String encode() {
        StringBuilder sb = new StringBuilder("#!::r=").append(app).append('/').append(name)
                .append(",m=").append(mode.wireName());
        if (token != null) {
            sb.append(",t=").append(token);
        }
        if (user != null) {
            sb.append(",u=").append(user);
        }
        if (hop != null) {
            sb.append(",hop=").append(hop);
        }
        return sb.toString();
    }
}
