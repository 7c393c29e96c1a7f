package dev.cascade.protocol.sdp;

import java.util.HexFormat;
import java.util.Locale;

/**
 * {@code a=fingerprint:<hash function> <hex pairs separated by ':'>}, RFC 8122 section 5, e.g.
 * {@code sha-256 F3:A4:...:48}: the hash of the DTLS certificate the peer will present.
 *
 * @param hashFunction lowercased, e.g. {@code sha-256}
 * @param hex          uppercase colon-separated pairs
 */
public record Fingerprint(String hashFunction, String hex) implements SdpAttribute {
    public static final String NAME = "fingerprint";

    public Fingerprint {
        hashFunction = Tokens.token(hashFunction, "fingerprint hash function").toLowerCase(Locale.ROOT);
        hex = hex.toUpperCase(Locale.ROOT);
        checkHex(hex);
    }

    /** The fingerprint of a certificate digest, e.g. {@code of("sha-256", MessageDigest...digest(der))}. */
    public static Fingerprint of(String hashFunction, byte[] digest) {
        if (digest.length == 0) {
            throw new IllegalArgumentException("empty digest");
        }
        return new Fingerprint(hashFunction, HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest));
    }

    public static Fingerprint parse(String value) {
        String[] t = Tokens.split(value);
        if (t.length != 2) {
            throw new SdpParseException("fingerprint needs '<hash function> <hex>'");
        }
        checkHex(t[1]);
        return new Fingerprint(t[0], t[1]);
    }

    /** The digest bytes. */
    public byte[] bytes() {
        return HexFormat.ofDelimiter(":").parseHex(hex);
    }

    private static void checkHex(String hex) {
        // RFC 8122: 2UHEX *(":" 2UHEX); lowercase accepted.
        if (hex.isEmpty() || (hex.length() + 1) % 3 != 0) {
            throw new SdpParseException("fingerprint '" + hex + "' is not colon-separated hex pairs");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            boolean ok = i % 3 == 2 ? c == ':' : Character.digit(c, 16) >= 0 && c < 0x80;
            if (!ok) {
                throw new SdpParseException("fingerprint '" + hex + "' is not colon-separated hex pairs");
            }
        }
    }

    public String value() {
        return hashFunction + " " + hex;
    }

    @Override
    public SdpLine toLine() {
        return SdpLine.attribute(NAME, value());
    }
}
