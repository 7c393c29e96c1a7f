package dev.cascade.protocol.sdp;

/**
 * {@code a=ssrc:<ssrc-id> <attribute>[:<value>]}, RFC 5576 section 4.1, e.g.
 * {@code 2607947206 cname:z8aoN2l/L7oiSqrJ} or {@code 2607947206 msid:stream track}.
 *
 * @param ssrc      unsigned 32-bit
 * @param value     null when the source attribute has none
 */
public record Ssrc(long ssrc, String attribute, String value) implements SdpAttribute {
    public static final String NAME = "ssrc";

    public Ssrc {
        if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("ssrc " + ssrc);
        }
        Tokens.token(attribute, "ssrc attribute");
        if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("ssrc attribute value with a line break");
        }
    }

    public static Ssrc parse(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        if (space < 0) {
            throw new SdpParseException("ssrc needs '<ssrc-id> <attribute>[:<value>]'");
        }
        long id = Tokens.number(v.substring(0, space), 0, 0xFFFF_FFFFL, "ssrc id");
        String rest = v.substring(space + 1).strip();
        int colon = rest.indexOf(':');
        String attribute = colon < 0 ? rest : rest.substring(0, colon);
        String attrValue = colon < 0 ? null : rest.substring(colon + 1);
        return new Ssrc(id, Tokens.token(attribute, "ssrc attribute"), attrValue);
    }

    public String value() {
        return ssrc + " " + attribute + (value == null ? "" : ":" + value);
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
