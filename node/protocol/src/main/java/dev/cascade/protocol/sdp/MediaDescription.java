package dev.cascade.protocol.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One media section, RFC 8866 section 5.14: the {@code m=} line and every line after it up to the
 * next {@code m=}, kept in order. The typed accessors read the lines on each call (they are cheap
 * for SDP sizes) and only see this section; {@link SessionDescription} adds session-level fallbacks.
 *
 * <pre>
 *  m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...
 *  m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103
 * </pre>
 *
 * @param portCount the {@code /<number of ports>} part, 0 when absent
 * @param formats   the fmt list; RTP payload types for RTP profiles
 * @param lines     the lines after {@code m=}
 */
public record MediaDescription(String media, int port, int portCount, String proto, List<String> formats,
                               List<SdpLine> lines) {

    public MediaDescription {
        Tokens.token(media, "media");
        Tokens.token(proto, "proto");
        if (port < 0 || port > 0xFFFF || portCount < 0) {
            throw new IllegalArgumentException("m= port " + port + "/" + portCount);
        }
        formats = List.copyOf(formats);
        for (String f : formats) {
            Tokens.token(f, "format");
        }
        lines = List.copyOf(lines);
    }

    /** A media section with no port count; build the lines with {@link Builder}. */
    public static Builder builder(String media, int port, String proto, List<String> formats) {
        return new Builder(media, port, proto, formats);
    }

    /** Parses an {@code m=} value. */
    public static MediaDescription parseMediaLine(String value) {
        String[] t = Tokens.split(value);
        if (t.length < 4) {
            throw new SdpParseException("m= needs '<media> <port> <proto> <fmt> ...'");
        }
        String portPart = t[1];
        int portCount = 0;
        int slash = portPart.indexOf('/');
        if (slash >= 0) {
            portCount = Tokens.integer(portPart.substring(slash + 1), 1, 0xFFFF, "m= number of ports");
            portPart = portPart.substring(0, slash);
        }
        int port = Tokens.integer(portPart, 0, 0xFFFF, "m= port");
        return new MediaDescription(t[0], port, portCount, t[2], List.of(t).subList(3, t.length), List.of());
    }

    public String mediaLine() {
        return media + " " + port + (portCount > 0 ? "/" + portCount : "") + " " + proto + " "
                + String.join(" ", formats);
    }

    /** This section with other lines (e.g. the same m= line and edited attributes). */
    public MediaDescription withLines(List<SdpLine> newLines) {
        return new MediaDescription(media, port, portCount, proto, formats, newLines);
    }

    public boolean isAudio() {
        return media.equals("audio");
    }

    public boolean isVideo() {
        return media.equals("video");
    }

    /** Port 0 marks a rejected or removed section (RFC 8866 5.14, RFC 3264 6). */
    public boolean isRejected() {
        return port == 0;
    }

    /** The formats that are RTP payload types (numbers 0..127), in offer order (preference). */
    public List<Integer> payloadTypes() {
        List<Integer> pts = new ArrayList<>(formats.size());
        for (String f : formats) {
            if (f.length() <= 3 && f.chars().allMatch(c -> c >= '0' && c <= '9')) {
                int pt = Integer.parseInt(f);
                if (pt <= 127) {
                    pts.add(pt);
                }
            }
        }
        return pts;
    }

    // ---- generic attributes ----

    /** Values of every {@code a=name:value} (null entries for a bare {@code a=name}), in order. */
    public List<String> attributes(String name) {
        return values(lines, name);
    }

    /** The first {@code a=name} value; empty when absent or when it has no value. */
    public Optional<String> attribute(String name) {
        return first(lines, name);
    }

    /** Whether {@code a=name} (with or without a value) is present. */
    public boolean hasAttribute(String name) {
        return has(lines, name);
    }

    // ---- typed attributes ----

    public Optional<String> mid() {
        return attribute("mid");
    }

    public Optional<String> iceUfrag() {
        return attribute("ice-ufrag");
    }

    public Optional<String> icePwd() {
        return attribute("ice-pwd");
    }

    public Optional<Fingerprint> fingerprint() {
        return attribute(Fingerprint.NAME).map(Fingerprint::parse);
    }

    public Optional<Setup> setup() {
        return attribute(Setup.NAME).map(Setup::parse);
    }

    /** The last direction attribute of this section, if any (see {@link SessionDescription#direction}). */
    public Optional<Direction> directionAttribute() {
        return directionOf(lines);
    }

    /** The section's direction: its own attribute, else sendrecv (RFC 8866 6.7). */
    public Direction direction() {
        return directionAttribute().orElse(Direction.SENDRECV);
    }

    public boolean rtcpMux() {
        return hasAttribute("rtcp-mux");
    }

    public boolean rtcpReducedSize() {
        return hasAttribute("rtcp-rsize");
    }

    public List<RtpMap> rtpMaps() {
        return typed(lines, RtpMap.NAME, RtpMap::parse);
    }

    public Optional<RtpMap> rtpMap(int payloadType) {
        return rtpMaps().stream().filter(r -> r.payloadType() == payloadType).findFirst();
    }

    public List<Fmtp> fmtps() {
        return typed(lines, Fmtp.NAME, Fmtp::parse);
    }

    public Optional<Fmtp> fmtp(int payloadType) {
        return fmtps().stream().filter(f -> f.isFor(payloadType)).findFirst();
    }

    public List<RtcpFb> rtcpFbs() {
        return typed(lines, RtcpFb.NAME, RtcpFb::parse);
    }

    /** Feedback for {@code payloadType}, including wildcard ({@code *}) lines. */
    public List<RtcpFb> rtcpFbs(int payloadType) {
        return rtcpFbs().stream().filter(f -> f.appliesTo(payloadType)).toList();
    }

    public List<ExtMap> extMaps() {
        return typed(lines, ExtMap.NAME, ExtMap::parse);
    }

    /** The id negotiated for a header extension URI. */
    public Optional<Integer> extMapId(String uri) {
        return extMaps().stream().filter(e -> e.uri().equals(uri)).map(ExtMap::id).findFirst();
    }

    public List<Ssrc> ssrcs() {
        return typed(lines, Ssrc.NAME, Ssrc::parse);
    }

    public List<SsrcGroup> ssrcGroups() {
        return typed(lines, SsrcGroup.NAME, SsrcGroup::parse);
    }

    public List<Msid> msids() {
        return typed(lines, Msid.NAME, Msid::parse);
    }

    public List<Candidate> candidates() {
        return typed(lines, Candidate.NAME, Candidate::parse);
    }

    /**
     * The payload type of the RTX stream (RFC 4588, {@code a=fmtp:<rtx> apt=<pt>}) retransmitting
     * {@code payloadType}, if offered.
     */
    public Optional<Integer> rtxFor(int payloadType) {
        String apt = Integer.toString(payloadType);
        for (RtpMap r : rtpMaps()) {
            if (r.is("rtx")) {
                Optional<Fmtp> f = fmtp(r.payloadType());
                if (f.isPresent() && apt.equals(f.get().parameter("apt"))) {
                    return Optional.of(r.payloadType());
                }
            }
        }
        return Optional.empty();
    }

    // ---- shared helpers (also used for the session level) ----

    static List<String> values(List<SdpLine> lines, String name) {
        List<String> out = new ArrayList<>(2);
        for (SdpLine l : lines) {
            if (l.isAttribute(name)) {
                out.add(l.attributeValue());
            }
        }
        return out;
    }

    static Optional<String> first(List<SdpLine> lines, String name) {
        for (SdpLine l : lines) {
            if (l.isAttribute(name)) {
                return Optional.ofNullable(l.attributeValue());
            }
        }
        return Optional.empty();
    }

    static boolean has(List<SdpLine> lines, String name) {
        for (SdpLine l : lines) {
            if (l.isAttribute(name)) {
                return true;
            }
        }
        return false;
    }

    static Optional<Direction> directionOf(List<SdpLine> lines) {
        Direction d = null;
        for (SdpLine l : lines) {
            if (l.isAttribute() && l.attributeValue() == null) {
                Direction x = Direction.fromAttributeName(l.value());
                if (x != null) {
                    d = x;
                }
            }
        }
        return Optional.ofNullable(d);
    }

    static <T> List<T> typed(List<SdpLine> lines, String name, Function<String, T> parser) {
        List<T> out = new ArrayList<>();
        for (SdpLine l : lines) {
            if (l.isAttribute(name) && l.attributeValue() != null) {
                out.add(parser.apply(l.attributeValue()));
            }
        }
        return out;
    }

    /** Accumulates the lines of a media section in the order they are added. */
    public static final class Builder {
        private final String media;
        private final int port;
        private final String proto;
        private final List<String> formats;
        private final List<SdpLine> lines = new ArrayList<>();

        private Builder(String media, int port, String proto, List<String> formats) {
            this.media = media;
            this.port = port;
            this.proto = proto;
            this.formats = List.copyOf(formats);
        }

        public Builder line(SdpLine line) {
            lines.add(Objects.requireNonNull(line));
            return this;
        }

        public Builder line(char type, String value) {
            return line(SdpLine.of(type, value));
        }

        public Builder attribute(String name, String value) {
            return line(SdpLine.attribute(name, value));
        }

        public Builder flag(String name) {
            return line(SdpLine.flag(name));
        }

        public Builder add(SdpAttribute attribute) {
            return line(attribute.toLine());
        }

        public MediaDescription build() {
            return new MediaDescription(media, port, 0, proto, formats, lines);
        }
    }
}
