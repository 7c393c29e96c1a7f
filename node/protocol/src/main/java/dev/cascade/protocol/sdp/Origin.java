package dev.cascade.protocol.sdp;

/**
 * {@code o=<username> <sess-id> <sess-version> <nettype> <addrtype> <unicast-address>}, RFC 8866
 * section 5.2. Chromium writes {@code o=- 8436422327585670287 2 IN IP4 127.0.0.1}.
 *
 * @param sessionId      digits, kept as text (it can exceed a long)
 * @param sessionVersion digits, kept as text
 */
public record Origin(String username, String sessionId, String sessionVersion, String netType, String addressType,
                     String address) {

    public Origin {
        Tokens.token(username, "origin username");
        digits(sessionId, "origin sess-id");
        digits(sessionVersion, "origin sess-version");
        Tokens.token(netType, "origin nettype");
        Tokens.token(addressType, "origin addrtype");
        Tokens.token(address, "origin address");
    }

    public static Origin parse(String value) {
        String[] t = Tokens.split(value);
        if (t.length != 6) {
            throw new SdpParseException("o= needs 6 fields, not " + t.length);
        }
        return new Origin(t[0], t[1], t[2], t[3], t[4], t[5]);
    }

    private static void digits(String s, String what) {
        if (s == null || s.isEmpty() || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new SdpParseException(what + " '" + s + "' is not digits");
        }
    }

    public String value() {
        return String.join(" ", username, sessionId, sessionVersion, netType, addressType, address);
    }

    public SdpLine toLine() {
        return SdpLine.of('o', value());
    }
}
