package dev.cascade.protocol.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * {@code a=ssrc-group:<semantics> <ssrc-id> ...}, RFC 5576 section 4.2, e.g. {@code FID 1 2}
 * pairing a media SSRC with its RTX SSRC (RFC 4588).
 */
public record SsrcGroup(String semantics, List<Long> ssrcs) implements SdpAttribute {
    public static final String NAME = "ssrc-group";

    public SsrcGroup {
        Tokens.token(semantics, "ssrc-group semantics");
        ssrcs = List.copyOf(ssrcs);
        if (ssrcs.isEmpty()) {
            throw new IllegalArgumentException("ssrc-group without SSRCs");
        }
        for (long s : ssrcs) {
            if (s < 0 || s > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("ssrc " + s);
            }
        }
    }

    public static SsrcGroup parse(String value) {
        String[] t = Tokens.split(value);
        if (t.length < 2) {
            throw new SdpParseException("ssrc-group needs '<semantics> <ssrc-id> ...'");
        }
        List<Long> ssrcs = new ArrayList<>(t.length - 1);
        for (int i = 1; i < t.length; i++) {
            ssrcs.add(Tokens.number(t[i], 0, 0xFFFF_FFFFL, "ssrc-group ssrc"));
        }
        return new SsrcGroup(t[0], ssrcs);
    }

    public String value() {
        StringJoiner j = new StringJoiner(" ");
        j.add(semantics);
        ssrcs.forEach(s -> j.add(Long.toString(s)));
        return j.toString();
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
