package dev.cascade.protocol.sdp;

/**
 * {@code a=rtcp-fb:<payload type or *> <type> [<parameter>]}, RFC 4585 section 4.2, e.g.
 * {@code 102 nack pli}, {@code 102 ccm fir}, {@code 102 goog-remb}, {@code 111 transport-cc}.
 *
 * @param payloadType {@link #ANY} for '*'
 * @param parameter   the rest after the type (may hold spaces), or null
 */
public record RtcpFb(int payloadType, String type, String parameter) implements SdpAttribute {
    public static final String NAME = "rtcp-fb";
    public static final int ANY = -1;

    public RtcpFb {
        if (payloadType < ANY || payloadType > 127) {
            throw new IllegalArgumentException("rtcp-fb payload type " + payloadType);
        }
        Tokens.token(type, "rtcp-fb type");
        if (parameter != null && (parameter.isBlank() || parameter.indexOf('\n') >= 0 || parameter.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("rtcp-fb parameter '" + parameter + "'");
        }
    }

    public static RtcpFb parse(String value) {
        String[] t = Tokens.split(value);
        if (t.length < 2) {
            throw new SdpParseException("rtcp-fb needs '<payload type> <type> [<parameter>]'");
        }
        int pt = t[0].equals("*") ? ANY : Tokens.integer(t[0], 0, 127, "rtcp-fb payload type");
        String parameter = null;
        if (t.length > 2) {
            parameter = String.join(" ", java.util.Arrays.copyOfRange(t, 2, t.length));
        }
        return new RtcpFb(pt, t[1], parameter);
    }

    /** Whether this applies to {@code pt} (directly or through '*'). */
    public boolean appliesTo(int pt) {
        return payloadType == ANY || payloadType == pt;
    }

    public String value() {
        return (payloadType == ANY ? "*" : Integer.toString(payloadType)) + " " + type
                + (parameter == null ? "" : " " + parameter);
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
