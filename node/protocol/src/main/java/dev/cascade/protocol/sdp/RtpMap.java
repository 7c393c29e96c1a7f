package dev.cascade.protocol.sdp;

/**
 * {@code a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]}, RFC 8866
 * section 6.6, e.g. {@code 111 opus/48000/2} or {@code 102 H264/90000}.
 *
 * @param channels the encoding parameters (audio channels), 0 when absent
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) implements SdpAttribute {
    public static final String NAME = "rtpmap";

    public RtpMap {
        if (payloadType < 0 || payloadType > 127 || clockRate <= 0 || channels < 0) {
            throw new IllegalArgumentException("rtpmap " + payloadType + " " + encodingName + "/" + clockRate);
        }
        Tokens.token(encodingName, "encoding name");
    }

    /** Parses the attribute value (after {@code a=rtpmap:}). */
    public static RtpMap parse(String value) {
        String[] t = Tokens.split(value);
        if (t.length != 2) {
            throw new SdpParseException("rtpmap needs '<payload type> <encoding>/<clock rate>'");
        }
        int pt = Tokens.integer(t[0], 0, 127, "rtpmap payload type");
        String[] enc = t[1].split("/", -1);
        if (enc.length < 2 || enc.length > 3 || enc[0].isEmpty()) {
            throw new SdpParseException("rtpmap encoding '" + t[1] + "' is not <name>/<clock rate>[/<parameters>]");
        }
        int clock = Tokens.integer(enc[1], 1, Integer.MAX_VALUE, "rtpmap clock rate");
        int channels = enc.length == 3 ? Tokens.integer(enc[2], 1, 255, "rtpmap channels") : 0;
        return new RtpMap(pt, enc[0], clock, channels);
    }

    /** Case-insensitive encoding name check (RFC 8866 6.6: names are case-insensitive). */
    public boolean is(String name) {
        return encodingName.equalsIgnoreCase(name);
    }

    public String value() {
        return payloadType + " " + encodingName + "/" + clockRate + (channels > 0 ? "/" + channels : "");
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
