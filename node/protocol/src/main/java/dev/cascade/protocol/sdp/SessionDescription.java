package dev.cascade.protocol.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A session description, RFC 8866 section 5: session-level lines (from {@code v=} up to the first
 * {@code m=}), then the media sections. Every line is kept verbatim and in order, so
 * {@code parse(write(parse(x)))} equals {@code parse(x)} and nothing the offerer wrote is lost;
 * typed accessors cover what WHIP/WHEP offer/answer (RFC 8829, JSEP) needs.
 *
 * <pre>
 *  v=0
 *  o=- 8436422327585670287 2 IN IP4 127.0.0.1
 *  s=-
 *  t=0 0
 *  a=group:BUNDLE 0 1
 *  a=extmap-allow-mixed
 *  a=msid-semantic: WMS
 *  m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
 *  c=IN IP4 0.0.0.0
 *  a=mid:0
 *  ...
 *  m=video 9 UDP/TLS/RTP/SAVPF 96 97 ...
 *  ...
 * </pre>
 *
 * <p>{@link #parse} is strict about structure (it must start with {@code v=0}, every line must be
 * {@code <letter>=<value>}, {@code o=} and {@code s=} must be there, {@code m=} lines must be
 * well-formed) and about the attributes it has typed views for (rtpmap, fmtp, rtcp-fb, extmap,
 * candidate, fingerprint, setup, ssrc, ssrc-group, msid, group, mid, ice-ufrag, ice-pwd), so
 * that a bad offer is rejected with the line at fault instead of failing later. Other lines and
 * attributes are kept without interpretation. Line endings may be CRLF or LF; empty lines are skipped.
 *
 * @param lines session-level lines, {@code v=} first
 * @param media the media sections in order
 */
public record SessionDescription(List<SdpLine> lines, List<MediaDescription> media) {

    public SessionDescription {
        lines = List.copyOf(lines);
        media = List.copyOf(media);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---- parsing ----

    /**
     * Parses an SDP body.
     *
     * @throws SdpParseException naming the line number and quoting the line at fault
     */
    public static SessionDescription parse(String sdp) {
        Objects.requireNonNull(sdp, "sdp");
        List<SdpLine> session = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        MediaDescription current = null;
        List<SdpLine> currentLines = null;
        boolean first = true;
        int lineNumber = 0;
        int start = 0;
        int length = sdp.length();
        while (start < length) {
            int nl = sdp.indexOf('\n', start);
            int end = nl < 0 ? length : nl;
            String raw = sdp.substring(start, end);
            start = nl < 0 ? length : nl + 1;
            lineNumber++;
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            if (line.isEmpty()) {
                continue;
            }
            try {
                SdpLine l = toLine(line);
                if (first) {
                    if (l.type() != 'v' || !l.value().equals("0")) {
                        throw new SdpParseException("an SDP body must start with v=0");
                    }
                    first = false;
                }
                if (l.type() == 'm') {
                    if (current != null) {
                        media.add(current.withLines(currentLines));
                    }
                    current = MediaDescription.parseMediaLine(l.value());
                    currentLines = new ArrayList<>();
                    continue;
                }
                check(l, current == null);
                (current == null ? session : currentLines).add(l);
            } catch (SdpParseException | IllegalArgumentException e) {
                throw new SdpParseException(lineNumber, line, e.getMessage());
            }
        }
        if (first) {
            throw new SdpParseException("empty SDP body");
        }
        if (current != null) {
            media.add(current.withLines(currentLines));
        }
        if (session.stream().noneMatch(l -> l.type() == 'o')) {
            throw new SdpParseException("SDP without an o= line");
        }
        if (session.stream().noneMatch(l -> l.type() == 's')) {
            throw new SdpParseException("SDP without an s= line");
        }
        return new SessionDescription(session, media);
    }

    private static SdpLine toLine(String line) {
        if (line.length() < 2 || line.charAt(1) != '=') {
            throw new SdpParseException("not a <type>=<value> line");
        }
        char type = line.charAt(0);
        if (type < 'a' || type > 'z') {
            throw new SdpParseException("line type '" + type + "' is not a lowercase letter");
        }
        String value = line.substring(2);
        if (value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
            throw new SdpParseException("CR or NUL inside a line");
        }
        return new SdpLine(type, value);
    }

    /** Validates the lines that have typed views, so later accessors cannot fail. */
    private static void check(SdpLine l, boolean sessionLevel) {
        switch (l.type()) {
            case 'v' -> {
                if (!sessionLevel) {
                    throw new SdpParseException("v= inside a media section");
                }
            }
            case 'o' -> {
                if (!sessionLevel) {
                    throw new SdpParseException("o= inside a media section");
                }
                Origin.parse(l.value());
            }
            case 'a' -> checkAttribute(l.attributeName(), l.attributeValue());
            default -> { }
        }
    }

    private static void checkAttribute(String name, String value) {
        switch (name) {
            case RtpMap.NAME -> RtpMap.parse(Tokens.require(value, name));
            case Fmtp.NAME -> Fmtp.parse(Tokens.require(value, name));
            case RtcpFb.NAME -> RtcpFb.parse(Tokens.require(value, name));
            case ExtMap.NAME -> ExtMap.parse(Tokens.require(value, name));
            case Candidate.NAME -> Candidate.parse(Tokens.require(value, name));
            case Fingerprint.NAME -> Fingerprint.parse(Tokens.require(value, name));
            case Setup.NAME -> Setup.parse(Tokens.require(value, name));
            case Ssrc.NAME -> Ssrc.parse(Tokens.require(value, name));
            case SsrcGroup.NAME -> SsrcGroup.parse(Tokens.require(value, name));
            case Msid.NAME -> Msid.parse(Tokens.require(value, name));
            case Group.NAME -> Group.parse(Tokens.require(value, name));
            case "mid", "ice-ufrag", "ice-pwd" -> Tokens.token(Tokens.require(value, name).strip(), name);
            default -> { }
        }
    }

    // ---- writing ----

    /** The SDP text: every line followed by CRLF (RFC 8866 5). */
    public String write() {
        StringBuilder sb = new StringBuilder(2048);
        for (SdpLine l : lines) {
            sb.append(l.type()).append('=').append(l.value()).append("\r\n");
        }
        for (MediaDescription m : media) {
            sb.append("m=").append(m.mediaLine()).append("\r\n");
            for (SdpLine l : m.lines()) {
                sb.append(l.type()).append('=').append(l.value()).append("\r\n");
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return write();
    }

    // ---- session-level views ----

    public Origin origin() {
        return Origin.parse(line('o').orElseThrow());
    }

    public String sessionName() {
        return line('s').orElseThrow();
    }

    /** The first line of {@code type} at session level. */
    public Optional<String> line(char type) {
        return lines.stream().filter(l -> l.type() == type).map(SdpLine::value).findFirst();
    }

    public List<String> attributes(String name) {
        return MediaDescription.values(lines, name);
    }

    public Optional<String> attribute(String name) {
        return MediaDescription.first(lines, name);
    }

    public boolean hasAttribute(String name) {
        return MediaDescription.has(lines, name);
    }

    public List<Group> groups() {
        return MediaDescription.typed(lines, Group.NAME, Group::parse);
    }

    /** The mids of the first BUNDLE group (RFC 9143), empty when there is none. */
    public List<String> bundleMids() {
        return groups().stream().filter(Group::isBundle).findFirst().map(Group::mids).orElse(List.of());
    }

    /** {@code a=ice-lite} at session level (RFC 8839 5.3). */
    public boolean iceLite() {
        return hasAttribute("ice-lite");
    }

    public Optional<MediaDescription> mediaByMid(String mid) {
        return media.stream().filter(m -> m.mid().filter(mid::equals).isPresent()).findFirst();
    }

    /** ice-ufrag of the section, else of the session (RFC 8839 5.4 allows both). */
    public Optional<String> iceUfrag(MediaDescription m) {
        return fallback(m, MediaDescription::iceUfrag, "ice-ufrag");
    }

    public Optional<String> icePwd(MediaDescription m) {
        return fallback(m, MediaDescription::icePwd, "ice-pwd");
    }

    /** fingerprint of the section, else of the session (RFC 8122 5). */
    public Optional<Fingerprint> fingerprint(MediaDescription m) {
        Optional<Fingerprint> own = m.fingerprint();
        return own.isPresent() ? own : attribute(Fingerprint.NAME).map(Fingerprint::parse);
    }

    public Optional<Setup> setup(MediaDescription m) {
        Optional<Setup> own = m.setup();
        return own.isPresent() ? own : attribute(Setup.NAME).map(Setup::parse);
    }

    /** The section's direction attribute, else the session's, else sendrecv (RFC 8866 6.7). */
    public Direction direction(MediaDescription m) {
        return m.directionAttribute().or(() -> MediaDescription.directionOf(lines)).orElse(Direction.SENDRECV);
    }

    private Optional<String> fallback(MediaDescription m, Function<MediaDescription, Optional<String>> own,
                                      String name) {
        Optional<String> v = own.apply(m);
        return v.isPresent() ? v : attribute(name);
    }

    /** Accumulates session-level lines and media sections in order. */
    public static final class Builder {
        private final List<SdpLine> lines = new ArrayList<>();
        private final List<MediaDescription> media = new ArrayList<>();

        private Builder() {}

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

        public Builder media(MediaDescription m) {
            media.add(Objects.requireNonNull(m));
            return this;
        }

        public SessionDescription build() {
            return new SessionDescription(lines, media);
        }
    }
}
