package dev.cascade.protocol.sdp;

/**
 * {@code a=msid:<stream id> [<track id>]}, RFC 8830 section 2: the MediaStream (or '-' for none)
 * and track a media section belongs to.
 *
 * @param trackId null when absent
 */
public record Msid(String streamId, String trackId) implements SdpAttribute {
    public static final String NAME = "msid";

    public Msid {
        Tokens.token(streamId, "msid stream id");
        if (trackId != null) {
            Tokens.token(trackId, "msid track id");
        }
    }

    public static Msid parse(String value) {
        String[] t = Tokens.split(value);
        if (t.length < 1 || t.length > 2) {
            throw new SdpParseException("msid needs '<stream id> [<track id>]'");
        }
        return new Msid(t[0], t.length == 2 ? t[1] : null);
    }

    public String value() {
        return trackId == null ? streamId : streamId + " " + trackId;
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
