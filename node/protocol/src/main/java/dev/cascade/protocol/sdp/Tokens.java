package dev.cascade.protocol.sdp;

/** Small strict parsers shared by the typed attributes; they throw only {@link SdpParseException}. */
final class Tokens {
    private Tokens() {}

    /** Splits on runs of spaces or tabs after trimming; never returns empty tokens (an empty value gives none). */
    static String[] split(String value) {
        String v = value.strip();
        return v.isEmpty() ? new String[0] : v.split("[ \t]+");
    }

    static long number(String token, long min, long max, String what) {
        if (token.isEmpty() || token.length() > 18) {
            throw new SdpParseException(what + " '" + token + "' is not a number");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                throw new SdpParseException(what + " '" + token + "' is not a number");
            }
        }
        long v = Long.parseLong(token);
        if (v < min || v > max) {
            throw new SdpParseException(what + " " + v + " outside " + min + ".." + max);
        }
        return v;
    }

    static int integer(String token, int min, int max, String what) {
        return (int) number(token, min, max, what);
    }

    /** A non-empty token without whitespace (RFC 8866 token, loosely). */
    static String token(String token, String what) {
        if (token == null || token.isEmpty()) {
            throw new SdpParseException(what + " missing");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c == 0x7F) {
                throw new SdpParseException(what + " '" + token + "' has whitespace or control characters");
            }
        }
        return token;
    }

    static String require(String value, String what) {
        if (value == null) {
            throw new SdpParseException(what + " needs a value");
        }
        return value;
    }
}
