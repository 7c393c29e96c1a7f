package dev.cascade.cli;

/** A stream's key, {@code app/name} (e.g. {@code live/match1}), as the contract's {@code {app}/{name}} path parameters. */
record StreamKey(String app, String name) {

    /** Parses {@code app/name}; an IllegalArgumentException says what is wrong. */
    static StreamKey parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0 || text.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a stream: expected app/name, e.g. live/match1");
        }
        return new StreamKey(ResourceNames.idLike(text.substring(0, slash), "stream app"),
                ResourceNames.idLike(text.substring(slash + 1), "stream name"));
    }

    /** {@code /streams/app/name}. */
    String path() {
        return "/streams/" + app + "/" + name;
    }

    @Override
    public String toString() {
        return app + "/" + name;
    }
}
