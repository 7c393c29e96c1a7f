package dev.cascade.protocol.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code a=fmtp:<format> <format specific parameters>}, RFC 8866 section 6.15, e.g.
 * {@code 102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f}.
 *
 * @param format     the payload type, as written
 * @param parameters everything after the first space, as written
 */
public record Fmtp(String format, String parameters) implements SdpAttribute {
    public static final String NAME = "fmtp";

    public Fmtp {
        Tokens.token(format, "fmtp format");
        if (parameters.indexOf('\r') >= 0 || parameters.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("fmtp parameters with a line break");
        }
    }

    /** {@code key=value;key=value} from an ordered map. */
    public static Fmtp of(int payloadType, Map<String, String> parameters) {
        StringJoiner j = new StringJoiner(";");
        parameters.forEach((k, v) -> j.add(v.isEmpty() ? k : k + "=" + v));
        return new Fmtp(Integer.toString(payloadType), j.toString());
    }

    public static Fmtp parse(String value) {
        String v = value.strip();
        int space = v.indexOf(' ');
        if (space < 0) {
            return new Fmtp(Tokens.token(v, "fmtp format"), "");
        }
        return new Fmtp(Tokens.token(v.substring(0, space), "fmtp format"), v.substring(space + 1).strip());
    }

    /** Whether this fmtp applies to RTP payload type {@code pt}. */
    public boolean isFor(int pt) {
        return format.equals(Integer.toString(pt));
    }

    /**
     * The parameters as an ordered map: split at ';', each at its first '='; names lowercased
     * (RFC 4855: parameter names are case-insensitive); a part without '=' (RED's {@code 111/111},
     * a bare flag) maps to "".
     */
    public Map<String, String> parameterMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String part : parameters.split(";")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                map.putIfAbsent(p.toLowerCase(Locale.ROOT), "");
            } else {
                map.putIfAbsent(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), p.substring(eq + 1).strip());
            }
        }
        return Collections.unmodifiableMap(map);
    }

    /** One parameter by (case-insensitive) name. */
    public String parameter(String name) {
        return parameterMap().get(name.toLowerCase(Locale.ROOT));
    }

    public String value() {
        return parameters.isEmpty() ? format : format + " " + parameters;
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
