package dev.cascade.protocol.stun;

import dev.cascade.protocol.stun.StunAttribute.ErrorCode;
import dev.cascade.protocol.stun.StunAttribute.Fingerprint;
import dev.cascade.protocol.stun.StunAttribute.IceControlled;
import dev.cascade.protocol.stun.StunAttribute.IceControlling;
import dev.cascade.protocol.stun.StunAttribute.MessageIntegrity;
import dev.cascade.protocol.stun.StunAttribute.Priority;
import dev.cascade.protocol.stun.StunAttribute.Software;
import dev.cascade.protocol.stun.StunAttribute.Unknown;
import dev.cascade.protocol.stun.StunAttribute.UseCandidate;
import dev.cascade.protocol.stun.StunAttribute.Username;
import dev.cascade.protocol.stun.StunAttribute.XorMappedAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A STUN message, RFC 8489 section 5 (RFC 5389 section 6 is the same layout):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |0 0|     STUN Message Type     |         Message Length        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Magic Cookie                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * |                     Transaction ID (96 bits)                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 *  message type:   0                 1
 *                  2  3  4 5 6 7 8 9 0 1 2 3 4 5
 *                 +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
 *                 |M |M |M|M|M|C|M|M|M|C|M|M|M|M|    M: method (Binding = 0x001)
 *                 |11|10|9|8|7|1|6|5|4|0|3|2|1|0|    C: class (request 00, indication 01,
 *                 +--+--+-+-+-+-+-+-+-+-+-+-+-+-+       success 10, error 11)
 * </pre>
 *
 * followed by Message Length bytes of attributes ({@link StunAttribute}). Attributes after
 * MESSAGE-INTEGRITY other than FINGERPRINT are ignored (14.5); nothing may follow FINGERPRINT
 * (14.7).
 *
 * <p>{@link #encodeTo} writes the attributes as they are (a parsed message re-encodes to its bytes,
 * up to padding); {@link #encode(byte[], boolean)} drops any MESSAGE-INTEGRITY and FINGERPRINT and
 * computes fresh ones, which is how responses are sent.
 *
 * @param type          the 14-bit message type (method and class)
 * @param transactionId 12 bytes
 */
public record StunMessage(int type, byte[] transactionId, List<StunAttribute> attributes) {
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_SIZE = 20;
    public static final int BINDING = 0x001;
    public static final int BINDING_REQUEST = 0x0001;
    public static final int BINDING_SUCCESS = 0x0101;
    public static final int BINDING_ERROR = 0x0111;
    /** RFC 8489 14.7: XOR-ed into the CRC-32 so FINGERPRINT differs from other protocols' CRCs. */
    public static final int FINGERPRINT_XOR = 0x5354554E;

    private static final ThreadLocal<Mac> HMAC_SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA1");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every JDK", e);
        }
    });

    /** The class bits of the message type. */
    public enum MessageClass {
        REQUEST, INDICATION, SUCCESS_RESPONSE, ERROR_RESPONSE;

        int bits() {
            return ordinal();
        }
    }

    public StunMessage {
        if (type < 0 || type > 0x3FFF || transactionId.length != 12) {
            throw new IllegalArgumentException("message type 0x" + Integer.toHexString(type) + ", transaction ID of "
                    + transactionId.length + " bytes");
        }
        transactionId = transactionId.clone();
        attributes = List.copyOf(attributes);
    }

    /** The message type for {@code method} (12 bits) and {@code messageClass}. */
    public static int type(int method, MessageClass messageClass) {
        int c = messageClass.bits();
        return ((method & 0xF80) << 2) | ((method & 0x070) << 1) | (method & 0x00F) | ((c & 2) << 7) | ((c & 1) << 4);
    }

    public int method() {
        return ((type >> 2) & 0xF80) | ((type >> 1) & 0x070) | (type & 0x00F);
    }

    public MessageClass messageClass() {
        return MessageClass.values()[((type >> 7) & 2) | ((type >> 4) & 1)];
    }

    public boolean isBindingRequest() {
        return type == BINDING_REQUEST;
    }

    @Override
    public byte[] transactionId() {
        return transactionId.clone();
    }

    /** The first attribute of that kind. */
    public <T extends StunAttribute> Optional<T> attribute(Class<T> kind) {
        for (StunAttribute a : attributes) {
            if (kind.isInstance(a)) {
                return Optional.of(kind.cast(a));
            }
        }
        return Optional.empty();
    }

    public Optional<String> username() {
        return attribute(Username.class).map(Username::name);
    }

    /** Comprehension-required attribute types this codec does not know; a request with any gets a 420. */
    public List<Integer> unknownComprehensionRequired() {
        List<Integer> types = new ArrayList<>(0);
        for (StunAttribute a : attributes) {
            if (a instanceof Unknown u && u.comprehensionRequired()) {
                types.add(u.type());
            }
        }
        return types;
    }

    // ---- cheap checks ----

    /** RFC 7983 7: a first byte of 0..3 (the two top bits of the message type are zero). */
    public static boolean isStun(int firstByte) {
        return (firstByte & 0xFF) < 4;
    }

    /** A whole STUN message in {@code b[off, off + len)}: top bits zero, magic cookie, consistent length. */
    public static boolean isStun(ByteBuffer b, int off, int len) {
        return len >= HEADER_SIZE && (b.get(off) & 0xC0) == 0 && b.getInt(off + 4) == MAGIC_COOKIE
                && (b.getShort(off + 2) & 0xFFFF) == len - HEADER_SIZE && (len & 3) == 0;
    }

    // ---- parsing ----

    /**
     * Parses one message filling {@code b} from position to limit (one UDP datagram); {@code b} is
     * not moved.
     *
     * @throws StunParseException on any violation of the header or attribute layout, or an
     *     attribute value of the wrong size or encoding
     */
    public static StunMessage parse(ByteBuffer b) {
        int base = b.position();
        int n = b.remaining();
        if (n < HEADER_SIZE) {
            throw new StunParseException("STUN message of " + n + " bytes is shorter than its header");
        }
        int type = b.getShort(base) & 0xFFFF;
        if ((type & 0xC000) != 0) {
            throw new StunParseException("STUN message type 0x" + Integer.toHexString(type) + " has its top bits set");
        }
        int length = b.getShort(base + 2) & 0xFFFF;
        if ((length & 3) != 0) {
            throw new StunParseException("STUN message length " + length + " is not a multiple of 4");
        }
        if (HEADER_SIZE + length != n) {
            throw new StunParseException("STUN message length " + length + " but " + (n - HEADER_SIZE)
                    + " bytes follow the header");
        }
        if (b.getInt(base + 4) != MAGIC_COOKIE) {
            throw new StunParseException("STUN magic cookie missing (RFC 3489 messages are not supported)");
        }
        byte[] tid = new byte[12];
        b.get(base + 8, tid);
        List<StunAttribute> attributes = new ArrayList<>(6);
        boolean integrity = false;
        boolean fingerprint = false;
        int p = base + HEADER_SIZE;
        int end = base + n;
        while (p < end) {
            if (end - p < 4) {
                throw new StunParseException("STUN attribute header truncated");
            }
            int at = b.getShort(p) & 0xFFFF;
            int len = b.getShort(p + 2) & 0xFFFF;
            int padded = (len + 3) & ~3;
            if (padded > end - p - 4) {
                throw new StunParseException("STUN attribute 0x" + Integer.toHexString(at) + " of " + len
                        + " bytes overruns the message");
            }
            if (fingerprint) {
                throw new StunParseException("STUN attribute 0x" + Integer.toHexString(at) + " after FINGERPRINT");
            }
            if (!integrity || at == StunAttribute.FINGERPRINT) {
                attributes.add(decode(at, b, p + 4, len, tid));
            }
            integrity |= at == StunAttribute.MESSAGE_INTEGRITY;
            fingerprint |= at == StunAttribute.FINGERPRINT;
            p += 4 + padded;
        }
        return new StunMessage(type, tid, attributes);
    }

    private static StunAttribute decode(int type, ByteBuffer b, int p, int len, byte[] tid) {
        switch (type) {
            case StunAttribute.USERNAME:
                if (len > 513) {
                    throw new StunParseException("USERNAME of " + len + " bytes");
                }
                return new Username(utf8(b, p, len, "USERNAME"));
            case StunAttribute.SOFTWARE:
                if (len > 763) {
                    throw new StunParseException("SOFTWARE of " + len + " bytes");
                }
                return new Software(utf8(b, p, len, "SOFTWARE"));
            case StunAttribute.MESSAGE_INTEGRITY: {
                requireLength("MESSAGE-INTEGRITY", len, 20);
                byte[] hmac = new byte[20];
                b.get(p, hmac);
                return new MessageIntegrity(hmac);
            }
            case StunAttribute.FINGERPRINT:
                requireLength("FINGERPRINT", len, 4);
                return new Fingerprint(b.getInt(p));
            case StunAttribute.XOR_MAPPED_ADDRESS:
                return new XorMappedAddress(readXorAddress(b, p, len, tid));
            case StunAttribute.PRIORITY:
                requireLength("PRIORITY", len, 4);
                return new Priority(b.getInt(p) & 0xFFFF_FFFFL);
            case StunAttribute.USE_CANDIDATE:
                requireLength("USE-CANDIDATE", len, 0);
                return new UseCandidate();
            case StunAttribute.ICE_CONTROLLING:
                requireLength("ICE-CONTROLLING", len, 8);
                return new IceControlling(b.getLong(p));
            case StunAttribute.ICE_CONTROLLED:
                requireLength("ICE-CONTROLLED", len, 8);
                return new IceControlled(b.getLong(p));
            case StunAttribute.ERROR_CODE: {
                if (len < 4 || len > 4 + 763) {
                    throw new StunParseException("ERROR-CODE of " + len + " bytes");
                }
                int word = b.getInt(p);
                int cls = (word >> 8) & 0x07;
                int number = word & 0xFF;
                if (cls < 3 || cls > 6 || number > 99) {
                    throw new StunParseException("ERROR-CODE class " + cls + " number " + number);
                }
                return new ErrorCode(cls * 100 + number, utf8(b, p + 4, len - 4, "ERROR-CODE reason"));
            }
            default: {
                byte[] value = new byte[len];
                b.get(p, value);
                return new Unknown(type, value);
            }
        }
    }

    private static void requireLength(String name, int len, int expected) {
        if (len != expected) {
            throw new StunParseException(name + " of " + len + " bytes, expected " + expected);
        }
    }

    private static InetSocketAddress readXorAddress(ByteBuffer b, int p, int len, byte[] tid) {
        if (len < 4) {
            throw new StunParseException("XOR-MAPPED-ADDRESS of " + len + " bytes");
        }
        int family = b.get(p + 1) & 0xFF;
        int port = (b.getShort(p + 2) & 0xFFFF) ^ (MAGIC_COOKIE >>> 16);
        byte[] addr;
        if (family == 0x01) {
            requireLength("IPv4 XOR-MAPPED-ADDRESS", len, 8);
            addr = new byte[4];
        } else if (family == 0x02) {
            requireLength("IPv6 XOR-MAPPED-ADDRESS", len, 20);
            addr = new byte[16];
        } else {
            throw new StunParseException("XOR-MAPPED-ADDRESS family " + family);
        }
        b.get(p + 4, addr);
        xorAddress(addr, tid);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            throw new StunParseException("XOR-MAPPED-ADDRESS of " + addr.length + " bytes");
        }
    }

    /** RFC 8489 14.2: XOR with the magic cookie, then (IPv6) the transaction ID. Its own inverse. */
    private static void xorAddress(byte[] addr, byte[] tid) {
        for (int i = 0; i < addr.length; i++) {
            int key = i < 4 ? (MAGIC_COOKIE >>> (24 - 8 * i)) & 0xFF : tid[i - 4] & 0xFF;
            addr[i] ^= (byte) key;
        }
    }

    private static String utf8(ByteBuffer b, int p, int n, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(b.slice(p, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new StunParseException(what + " is not UTF-8");
        }
    }

    // ---- encoding ----

    /** Bytes {@link #encodeTo} writes. */
    public int encodedSize() {
        int n = HEADER_SIZE;
        for (StunAttribute a : attributes) {
            n += 4 + ((valueLength(a) + 3) & ~3);
        }
        return n;
    }

    /** Writes the message with its attributes as they are, zero padding, at {@code out}'s position. */
    public void encodeTo(ByteBuffer out) {
        int size = encodedSize();
        if (size - HEADER_SIZE > 0xFFFF) {
            throw new IllegalStateException("STUN message too long");
        }
        writeHeader(out, size - HEADER_SIZE);
        for (StunAttribute a : attributes) {
            writeAttribute(out, a, (byte) 0);
        }
    }

    /**
     * The message as sent: attributes other than MESSAGE-INTEGRITY and FINGERPRINT, then a fresh
     * MESSAGE-INTEGRITY when {@code integrityKey} is given (short-term credential: the ICE password
     * as UTF-8, {@link #shortTermKey}), then a fresh FINGERPRINT when asked (ICE always asks).
     */
    public byte[] encode(byte[] integrityKey, boolean fingerprint) {
        return encode(integrityKey, fingerprint, 0);
    }

    /**
     * {@link #encode(byte[], boolean)} with attribute padding bytes set to {@code paddingByte}: RFC
     * 8489 section 14 lets padding hold any value and receivers ignore it. We send zeros; RFC 5769's
     * test vectors use 0x20, so tests can reproduce them byte for byte.
     */
    public byte[] encode(byte[] integrityKey, boolean fingerprint, int paddingByte) {
        List<StunAttribute> body = new ArrayList<>(attributes.size());
        int size = HEADER_SIZE;
        for (StunAttribute a : attributes) {
            if (!(a instanceof MessageIntegrity) && !(a instanceof Fingerprint)) {
                body.add(a);
                size += 4 + ((valueLength(a) + 3) & ~3);
            }
        }
        if (integrityKey != null) {
            size += 24;
        }
        if (fingerprint) {
            size += 8;
        }
        if (size - HEADER_SIZE > 0xFFFF) {
            throw new IllegalStateException("STUN message too long");
        }
        byte[] bytes = new byte[size];
        ByteBuffer out = ByteBuffer.wrap(bytes);
        writeHeader(out, 0);
        for (StunAttribute a : body) {
            writeAttribute(out, a, (byte) paddingByte);
        }
        if (integrityKey != null) {
            int at = out.position();
            out.putShort(2, (short) (at - HEADER_SIZE + 24));
            byte[] hmac = hmac(integrityKey, bytes, at);
            out.putShort((short) StunAttribute.MESSAGE_INTEGRITY).putShort((short) 20).put(hmac);
        }
        if (fingerprint) {
            int at = out.position();
            out.putShort(2, (short) (at - HEADER_SIZE + 8));
            out.putShort((short) StunAttribute.FINGERPRINT).putShort((short) 4).putInt(crc(bytes, at));
        }
        out.putShort(2, (short) (size - HEADER_SIZE));
        return bytes;
    }

    private void writeHeader(ByteBuffer out, int length) {
        out.putShort((short) type);
        out.putShort((short) length);
        out.putInt(MAGIC_COOKIE);
        out.put(transactionId);
    }

    private void writeAttribute(ByteBuffer out, StunAttribute a, byte padding) {
        int len = valueLength(a);
        out.putShort((short) a.type());
        out.putShort((short) len);
        int start = out.position();
        if (a instanceof Username u) {
            out.put(u.name().getBytes(StandardCharsets.UTF_8));
        } else if (a instanceof Software s) {
            out.put(s.description().getBytes(StandardCharsets.UTF_8));
        } else if (a instanceof MessageIntegrity m) {
            out.put(m.hmac());
        } else if (a instanceof Fingerprint f) {
            out.putInt(f.crc());
        } else if (a instanceof XorMappedAddress x) {
            InetAddress ip = x.address().getAddress();
            byte[] addr = ip.getAddress();
            out.put((byte) 0);
            out.put((byte) (ip instanceof Inet4Address ? 0x01 : 0x02));
            out.putShort((short) (x.address().getPort() ^ (MAGIC_COOKIE >>> 16)));
            xorAddress(addr, transactionId);
            out.put(addr);
        } else if (a instanceof Priority pr) {
            out.putInt((int) pr.priority());
        } else if (a instanceof IceControlling c) {
            out.putLong(c.tieBreaker());
        } else if (a instanceof IceControlled c) {
            out.putLong(c.tieBreaker());
        } else if (a instanceof ErrorCode e) {
            out.putInt(((e.code() / 100) << 8) | (e.code() % 100));
            out.put(e.reason().getBytes(StandardCharsets.UTF_8));
        } else if (a instanceof Unknown u) {
            out.put(u.value());
        }
        // UseCandidate has no value.
        for (int i = start + len; i < start + ((len + 3) & ~3); i++) {
            out.put(padding);
        }
    }

    private static int valueLength(StunAttribute a) {
        if (a instanceof Username u) {
            return u.name().getBytes(StandardCharsets.UTF_8).length;
        } else if (a instanceof Software s) {
            return s.description().getBytes(StandardCharsets.UTF_8).length;
        } else if (a instanceof MessageIntegrity) {
            return 20;
        } else if (a instanceof Fingerprint || a instanceof Priority) {
            return 4;
        } else if (a instanceof XorMappedAddress x) {
            return x.address().getAddress() instanceof Inet4Address ? 8 : 20;
        } else if (a instanceof IceControlling || a instanceof IceControlled) {
            return 8;
        } else if (a instanceof ErrorCode e) {
            return 4 + e.reason().getBytes(StandardCharsets.UTF_8).length;
        } else if (a instanceof Unknown u) {
            return u.value().length;
        }
        return 0; // UseCandidate
    }

    // ---- integrity and fingerprint ----

    /** RFC 8489 9.1.1: the short-term credential key is the password itself (OpaqueString-prepared; ICE passwords are ASCII). */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /** {@link #verifyIntegrity(ByteBuffer, byte[])} over a whole array. */
    public static boolean verifyIntegrity(byte[] message, byte[] key) {
        return verifyIntegrity(ByteBuffer.wrap(message), key);
    }

    /**
     * Checks MESSAGE-INTEGRITY (RFC 8489 14.5) of the message between {@code message}'s position
     * and limit (not moved): HMAC-SHA1 with {@code key} over the bytes before the attribute, with
     * the header length counting up to the attribute's end.
     *
     * @return false when the attribute is missing, the message is malformed, or the HMAC differs
     */
    public static boolean verifyIntegrity(ByteBuffer message, byte[] key) {
        if (key == null || key.length == 0) {
            return false;
        }
        int at = findAttribute(message, StunAttribute.MESSAGE_INTEGRITY, 20);
        if (at < 0) {
            return false;
        }
        int base = message.position();
        byte[] header = new byte[HEADER_SIZE];
        message.get(base, header);
        header[2] = (byte) ((at - HEADER_SIZE + 24) >> 8);
        header[3] = (byte) (at - HEADER_SIZE + 24);
        Mac mac = initMac(key);
        mac.update(header);
        mac.update(message.slice(base + HEADER_SIZE, at - HEADER_SIZE));
        byte[] expected = mac.doFinal();
        byte[] actual = new byte[20];
        message.get(base + at + 4, actual);
        return MessageDigest.isEqual(expected, actual);
    }

    /** {@link #verifyFingerprint(ByteBuffer)} over a whole array. */
    public static boolean verifyFingerprint(byte[] message) {
        return verifyFingerprint(ByteBuffer.wrap(message));
    }

    /**
     * Checks FINGERPRINT (RFC 8489 14.7): present, last, and equal to the CRC-32 of everything
     * before it XOR 0x5354554E.
     *
     * @return false when missing, not last, malformed or wrong
     */
    public static boolean verifyFingerprint(ByteBuffer message) {
        int at = findAttribute(message, StunAttribute.FINGERPRINT, 4);
        if (at < 0 || at + 8 != message.remaining()) {
            return false;
        }
        CRC32 crc = new CRC32();
        crc.update(message.slice(message.position(), at));
        return ((int) crc.getValue() ^ FINGERPRINT_XOR) == message.getInt(message.position() + at + 4);
    }

    /** Offset (from the message start) of the first attribute of {@code type} with the given length, or -1. */
    private static int findAttribute(ByteBuffer m, int type, int length) {
        int base = m.position();
        int n = m.remaining();
        if (n < HEADER_SIZE || !isStun(m, base, n)) {
            return -1;
        }
        int p = HEADER_SIZE;
        while (n - p >= 4) {
            int at = m.getShort(base + p) & 0xFFFF;
            int len = m.getShort(base + p + 2) & 0xFFFF;
            if (at == type) {
                return len == length && p + 4 + len <= n ? p : -1;
            }
            p += 4 + ((len + 3) & ~3);
        }
        return -1;
    }

    private static Mac initMac(byte[] key) {
        try {
            Mac mac = HMAC_SHA1.get();
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] bytes, int length) {
        if (key.length == 0) {
            throw new IllegalArgumentException("empty MESSAGE-INTEGRITY key");
        }
        Mac mac = initMac(key);
        mac.update(bytes, 0, length);
        return mac.doFinal();
    }

    private static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    // ---- ICE-lite responses ----

    /** A Binding success response reporting {@code mapped} (the request's source address) in XOR-MAPPED-ADDRESS. */
    public static StunMessage bindingSuccess(byte[] transactionId, InetSocketAddress mapped) {
        return new StunMessage(BINDING_SUCCESS, transactionId, List.of(new XorMappedAddress(mapped)));
    }

    /** A Binding error response with ERROR-CODE {@code code} and its usual reason phrase. */
    public static StunMessage bindingError(byte[] transactionId, int code) {
        return new StunMessage(BINDING_ERROR, transactionId, List.of(ErrorCode.of(code)));
    }

    /**
     * The bytes of a Binding success response: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY with the
     * local ICE password, FINGERPRINT (RFC 8445 7.3.1.4).
     */
    public static byte[] bindingSuccessResponse(byte[] transactionId, InetSocketAddress mapped, byte[] integrityKey) {
        return bindingSuccess(transactionId, mapped).encode(Objects.requireNonNull(integrityKey, "integrityKey"), true);
    }

    /**
     * The bytes of a Binding error response with FINGERPRINT. RFC 8489 9.1.4: a 400 or 401 answers
     * a request that could not be authenticated, so it carries no MESSAGE-INTEGRITY (pass null); a
     * 487 role conflict answers an authenticated request and should carry it.
     */
    public static byte[] bindingErrorResponse(byte[] transactionId, int code, byte[] integrityKeyOrNull) {
        return bindingError(transactionId, code).encode(integrityKeyOrNull, true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StunMessage m && m.type == type && Arrays.equals(m.transactionId, transactionId)
                && m.attributes.equals(attributes);
    }

    @Override
    public int hashCode() {
        return (type * 31 + Arrays.hashCode(transactionId)) * 31 + attributes.hashCode();
    }

    @Override
    public String toString() {
        return "StunMessage[type=0x" + String.format("%04x", type) + ", transactionId="
                + HexFormat.of().formatHex(transactionId) + ", attributes=" + attributes + "]";
    }
}
