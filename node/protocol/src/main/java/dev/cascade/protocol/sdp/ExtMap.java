package dev.cascade.protocol.sdp;

/**
 * {@code a=extmap:<id>[/<direction>] <URI> [<extension attributes>]}, RFC 8285 section 8, e.g.
 * {@code 2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time}.
 *
 * @param id         1..14 for one-byte headers, up to 255 for two-byte ones (4096..4351 are for negotiation)
 * @param direction  null when absent
 * @param attributes extension attributes, null when absent
 */
public record ExtMap(int id, Direction direction, String uri, String attributes) implements SdpAttribute {
    public static final String NAME = "extmap";

    public ExtMap {
        if (id < 1 || id > 4351 || id > 255 && id < 4096) {
            throw new IllegalArgumentException("extmap id " + id);
        }
        Tokens.token(uri, "extmap URI");
        if (attributes != null && (attributes.isBlank() || attributes.indexOf('\n') >= 0 || attributes.indexOf('\r') >= 0)) {
            throw new IllegalArgumentException("extmap attributes '" + attributes + "'");
        }
    }

    public static ExtMap of(int id, String uri) {
        return new ExtMap(id, null, uri, null);
    }

    public static ExtMap parse(String value) {
        String[] t = Tokens.split(value);
        if (t.length < 2) {
            throw new SdpParseException("extmap needs '<id>[/<direction>] <URI>'");
        }
        String idPart = t[0];
        Direction direction = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            direction = Direction.parse(idPart.substring(slash + 1));
            idPart = idPart.substring(0, slash);
        }
        int id = Tokens.integer(idPart, 1, 4351, "extmap id");
        if (id > 255 && id < 4096) {
            throw new SdpParseException("extmap id " + id + " outside 1..255 and 4096..4351");
        }
        String attributes = t.length > 2 ? String.join(" ", java.util.Arrays.copyOfRange(t, 2, t.length)) : null;
        return new ExtMap(id, direction, t[1], attributes);
    }

    public String value() {
        return id + (direction == null ? "" : "/" + direction.attributeName()) + " " + uri
                + (attributes == null ? "" : " " + attributes);
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
