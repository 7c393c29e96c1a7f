package dev.cascade.protocol.stun;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The STUN attributes ICE-lite uses (RFC 8489 section 14, RFC 8445 section 16.1), each a
 * type-length-value:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Type                  |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Value (variable)                ....
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   Length excludes the padding to a 32-bit boundary; types below 0x8000 are
 *   comprehension-required, the rest comprehension-optional.
 * </pre>
 *
 * Anything else comes back as {@link Unknown}.
 */
public sealed interface StunAttribute {
    int USERNAME = 0x0006;
    int MESSAGE_INTEGRITY = 0x0008;
    int ERROR_CODE = 0x0009;
    int XOR_MAPPED_ADDRESS = 0x0020;
    int PRIORITY = 0x0024;
    int USE_CANDIDATE = 0x0025;
    int SOFTWARE = 0x8022;
    int FINGERPRINT = 0x8028;
    int ICE_CONTROLLED = 0x8029;
    int ICE_CONTROLLING = 0x802A;

    /** The attribute type code. */
    int type();

    /** RFC 8489 14.3: the "ufrag:ufrag" of ICE (RFC 8445 7.2.2), at most 513 bytes of UTF-8. */
    record Username(String name) implements StunAttribute {
        public Username {
            if (name.getBytes(StandardCharsets.UTF_8).length > 513) {
                throw new IllegalArgumentException("USERNAME longer than 513 bytes");
            }
        }

        @Override
        public int type() {
            return USERNAME;
        }
    }

    /** RFC 8489 14.14: the agent's name and version, at most 763 bytes of UTF-8. */
    record Software(String description) implements StunAttribute {
        public Software {
            if (description.getBytes(StandardCharsets.UTF_8).length > 763) {
                throw new IllegalArgumentException("SOFTWARE longer than 763 bytes");
            }
        }

        @Override
        public int type() {
            return SOFTWARE;
        }
    }

    /**
     * RFC 8489 14.5: HMAC-SHA1 over the message up to this attribute, with the header length
     * counting up to its end. Written by {@link StunMessage#encode}; checked by
     * {@link StunMessage#verifyIntegrity}.
     */
    record MessageIntegrity(byte[] hmac) implements StunAttribute {
        public MessageIntegrity {
            if (hmac.length != 20) {
                throw new IllegalArgumentException("MESSAGE-INTEGRITY is 20 bytes, not " + hmac.length);
            }
            hmac = hmac.clone();
        }

        @Override
        public byte[] hmac() {
            return hmac.clone();
        }

        @Override
        public int type() {
            return MESSAGE_INTEGRITY;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MessageIntegrity m && Arrays.equals(m.hmac, hmac);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(hmac);
        }

        @Override
        public String toString() {
            return "MessageIntegrity[" + HexFormat.of().formatHex(hmac) + "]";
        }
    }

    /** RFC 8489 14.7: CRC-32 of the message up to this attribute, XOR 0x5354554E. Always last. */
    record Fingerprint(int crc) implements StunAttribute {
        @Override
        public int type() {
            return FINGERPRINT;
        }

        @Override
        public String toString() {
            return "Fingerprint[" + String.format("%08x", crc) + "]";
        }
    }

    /** RFC 8489 14.2: the transport address the request came from, XOR-ed with the magic cookie (and transaction ID). */
    record XorMappedAddress(InetSocketAddress address) implements StunAttribute {
        public XorMappedAddress {
            Objects.requireNonNull(address, "address");
            if (address.isUnresolved()) {
                throw new IllegalArgumentException("XOR-MAPPED-ADDRESS needs an IP address, not " + address);
            }
        }

        @Override
        public int type() {
            return XOR_MAPPED_ADDRESS;
        }
    }

    /** RFC 8445 16.1: the priority a peer-reflexive candidate from this check would get, unsigned 32-bit. */
    record Priority(long priority) implements StunAttribute {
        public Priority {
            if (priority < 0 || priority > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("PRIORITY " + priority);
            }
        }

        @Override
        public int type() {
            return PRIORITY;
        }
    }

    /** RFC 8445 16.1: the controlling agent nominates this pair. No value. */
    record UseCandidate() implements StunAttribute {
        @Override
        public int type() {
            return USE_CANDIDATE;
        }
    }

    /** RFC 8445 16.1: the sender is controlling; 64-bit tie-breaker. */
    record IceControlling(long tieBreaker) implements StunAttribute {
        @Override
        public int type() {
            return ICE_CONTROLLING;
        }
    }

    /** RFC 8445 16.1: the sender is controlled; 64-bit tie-breaker. */
    record IceControlled(long tieBreaker) implements StunAttribute {
        @Override
        public int type() {
            return ICE_CONTROLLED;
        }
    }

    /**
     * RFC 8489 14.8: an error response's code (300..699) and reason phrase (at most 763 bytes of UTF-8).
     *
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |           Reserved, should be 0         |Class|     Number    |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |      Reason Phrase (variable)                                ..
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * </pre>
     */
    record ErrorCode(int code, String reason) implements StunAttribute {
        public static final int BAD_REQUEST = 400;
        public static final int UNAUTHORIZED = 401;
        public static final int UNKNOWN_ATTRIBUTE = 420;
        public static final int ROLE_CONFLICT = 487;
        public static final int SERVER_ERROR = 500;

        public ErrorCode {
            if (code < 300 || code > 699 || reason.getBytes(StandardCharsets.UTF_8).length > 763) {
                throw new IllegalArgumentException("ERROR-CODE " + code);
            }
        }

        /** The code with the reason phrase RFC 8489 14.8 / RFC 8445 suggest. */
        public static ErrorCode of(int code) {
            String reason = switch (code) {
                case 300 -> "Try Alternate";
                case BAD_REQUEST -> "Bad Request";
                case UNAUTHORIZED -> "Unauthorized";
                case 403 -> "Forbidden";
                case UNKNOWN_ATTRIBUTE -> "Unknown Attribute";
                case 438 -> "Stale Nonce";
                case ROLE_CONFLICT -> "Role Conflict";
                case SERVER_ERROR -> "Server Error";
                default -> "Error";
            };
            return new ErrorCode(code, reason);
        }

        @Override
        public int type() {
            return ERROR_CODE;
        }
    }

    /** Any other attribute, value kept as it came (padding removed). */
    record Unknown(int type, byte[] value) implements StunAttribute {
        public Unknown {
            if (type < 0 || type > 0xFFFF || value.length > 0xFFFF) {
                throw new IllegalArgumentException("attribute type " + type + " with " + value.length + " bytes");
            }
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        /** RFC 8489 14: types 0x0000-0x7FFF must be understood; an unknown one in a request earns a 420. */
        public boolean comprehensionRequired() {
            return type < 0x8000;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Unknown u && u.type == type && Arrays.equals(u.value, value);
        }

        @Override
        public int hashCode() {
            return type * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Unknown[type=0x" + Integer.toHexString(type) + ", value=" + HexFormat.of().formatHex(value) + "]";
        }
    }
}
