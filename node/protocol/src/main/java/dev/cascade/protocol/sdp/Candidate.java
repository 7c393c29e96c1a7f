package dev.cascade.protocol.sdp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An ICE candidate line, RFC 8839 section 5.1:
 *
 * <pre>
 *  candidate-attribute = "candidate" ":" foundation SP component-id SP transport SP priority SP
 *                        connection-address SP port SP "typ" SP cand-type
 *                        [SP "raddr" SP rel-addr] [SP "rport" SP rel-port] *(SP extension-att-name SP extension-att-value)
 *
 *  a=candidate:1 1 udp 2130706431 203.0.113.7 10100 typ host generation 0
 *  a=candidate:842163049 1 udp 1677729535 186.50.9.10 52200 typ srflx raddr 0.0.0.0 rport 0 generation 0
 * </pre>
 *
 * The address may be an IP literal or an FQDN (Chromium's mDNS {@code .local} names); it is not resolved.
 *
 * @param relatedAddress null when absent
 * @param relatedPort    -1 when absent
 * @param extensions     extension name/value pairs in order (generation, ufrag, network-id, network-cost, tcptype, ...)
 */
public record Candidate(String foundation, int component, String transport, long priority, String address, int port,
                        String type, String relatedAddress, int relatedPort, Map<String, String> extensions)
        implements SdpAttribute {
    public static final String NAME = "candidate";
    public static final String HOST = "host";
    public static final String SRFLX = "srflx";
    public static final String PRFLX = "prflx";
    public static final String RELAY = "relay";

    public Candidate {
        if (foundation == null || foundation.isEmpty() || foundation.length() > 32 || component < 1 || component > 256
                || priority < 1 || priority > 0xFFFF_FFFFL || port < 0 || port > 0xFFFF || relatedPort < -1
                || relatedPort > 0xFFFF) {
            throw new IllegalArgumentException("candidate " + foundation + " component " + component + " priority "
                    + priority + " port " + port);
        }
        Tokens.token(foundation, "candidate foundation");
        Tokens.token(transport, "candidate transport");
        Tokens.token(address, "candidate address");
        Tokens.token(type, "candidate type");
        if (relatedAddress != null) {
            Tokens.token(relatedAddress, "candidate raddr");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        extensions.forEach((k, v) -> copy.put(Tokens.token(k, "candidate extension name"),
                Tokens.token(v, "candidate extension value")));
        extensions = Collections.unmodifiableMap(copy);
    }

    /** A host candidate without extensions, as an ICE-lite server advertises its UDP port. */
    public static Candidate host(String foundation, int component, String transport, long priority, String address,
                                 int port) {
        return new Candidate(foundation, component, transport, priority, address, port, HOST, null, -1, Map.of());
    }

    /**
     * RFC 8445 5.1.2.1: priority = 2^24 * type preference + 2^8 * local preference + (256 - component).
     * Host candidates use type preference 126.
     */
    public static long priority(int typePreference, int localPreference, int component) {
        if (typePreference < 0 || typePreference > 126 || localPreference < 0 || localPreference > 65535
                || component < 1 || component > 256) {
            throw new IllegalArgumentException("priority inputs " + typePreference + "/" + localPreference + "/"
                    + component);
        }
        return ((long) typePreference << 24) + ((long) localPreference << 8) + (256 - component);
    }

    /** Parses the value after {@code a=candidate:}; a leading {@code a=} or {@code candidate:} (trickle ICE fragments) is accepted. */
    public static Candidate parse(String value) {
        String v = value.strip();
        if (v.startsWith("a=")) {
            v = v.substring(2);
        }
        if (v.startsWith("candidate:")) {
            v = v.substring("candidate:".length());
        }
        String[] t = Tokens.split(v);
        if (t.length < 8 || !t[6].equals("typ")) {
            throw new SdpParseException("candidate needs '<foundation> <component> <transport> <priority> <address> "
                    + "<port> typ <type>'");
        }
        if (t[0].length() > 32) {
            throw new SdpParseException("candidate foundation longer than 32 characters");
        }
        int component = Tokens.integer(t[1], 1, 256, "candidate component");
        long priority = Tokens.number(t[3], 1, 0xFFFF_FFFFL, "candidate priority");
        int port = Tokens.integer(t[5], 0, 0xFFFF, "candidate port");
        String relatedAddress = null;
        int relatedPort = -1;
        Map<String, String> extensions = new LinkedHashMap<>();
        int i = 8;
        if (i + 1 < t.length && t[i].equals("raddr")) {
            relatedAddress = t[i + 1];
            i += 2;
        }
        if (i + 1 < t.length && t[i].equals("rport")) {
            relatedPort = Tokens.integer(t[i + 1], 0, 0xFFFF, "candidate rport");
            i += 2;
        }
        if ((t.length - i) % 2 != 0) {
            throw new SdpParseException("candidate extension '" + t[t.length - 1] + "' without a value");
        }
        for (; i < t.length; i += 2) {
            if (extensions.putIfAbsent(t[i], t[i + 1]) != null) {
                throw new SdpParseException("candidate extension '" + t[i] + "' repeated");
            }
        }
        return new Candidate(t[0], component, t[2], priority, t[4], port, t[7], relatedAddress, relatedPort,
                extensions);
    }

    public boolean isHost() {
        return HOST.equals(type);
    }

    /** Whether the transport is UDP (case-insensitive, RFC 8839 5.1). */
    public boolean isUdp() {
        return transport.toLowerCase(Locale.ROOT).equals("udp");
    }

    public String value() {
        StringBuilder sb = new StringBuilder(96);
        sb.append(foundation).append(' ').append(component).append(' ').append(transport).append(' ').append(priority)
                .append(' ').append(address).append(' ').append(port).append(" typ ").append(type);
        if (relatedAddress != null) {
            sb.append(" raddr ").append(relatedAddress);
        }
        if (relatedPort >= 0) {
            sb.append(" rport ").append(relatedPort);
        }
        extensions.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
        return sb.toString();
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
