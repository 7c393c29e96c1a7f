package dev.cascade.protocol.sdp;

import java.util.Arrays;
import java.util.List;

/**
 * {@code a=group:<semantics> <mid> ...}, RFC 5888 section 5, e.g. {@code BUNDLE 0 1}: the media
 * sections sharing one transport (RFC 9143).
 */
public record Group(String semantics, List<String> mids) implements SdpAttribute {
    public static final String NAME = "group";
    public static final String BUNDLE = "BUNDLE";

    public Group {
        Tokens.token(semantics, "group semantics");
        mids = List.copyOf(mids);
        for (String m : mids) {
            Tokens.token(m, "group mid");
        }
    }

    public static Group parse(String value) {
        String[] t = Tokens.split(value);
        if (t.length < 1) {
            throw new SdpParseException("group needs '<semantics> <mid> ...'");
        }
        return new Group(t[0], Arrays.asList(t).subList(1, t.length));
    }

    public boolean isBundle() {
        return BUNDLE.equals(semantics);
    }

    public String value() {
        return mids.isEmpty() ? semantics : semantics + " " + String.join(" ", mids);
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
