package dev.cascade.protocol.stun;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StunMessageTest {
    /** RFC 5769 section 2: the short-term password of the first three vectors. */
    static final byte[] PASSWORD = StunMessage.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");
    static final String TID = "b7e7a701bc34d686fa87dfae";

    static final String SAMPLE_REQUEST = ""
            + "000100582112a442b7e7a701bc34d686fa87dfae"
            + "80220010 5354554e 20746573 7420636c 69656e74"
            + "00240004 6e0001ff"
            + "80290008 932ff9b1 51263b36"
            + "00060009 6576746a 3a683676 59202020"
            + "00080014 9aeaa70c bfd8cb56 781ef2b5 b2d3f249 c1b571a2"
            + "80280004 e57a3bcf";
    static final String IPV4_RESPONSE = ""
            + "0101003c2112a442b7e7a701bc34d686fa87dfae"
            + "8022000b 74657374 20766563 746f7220"
            + "00200008 0001a147 e112a643"
            + "00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7"
            + "80280004 c07d4c96";
    static final String IPV6_RESPONSE = ""
            + "010100482112a442b7e7a701bc34d686fa87dfae"
            + "8022000b 74657374 20766563 746f7220"
            + "00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9"
            + "00080014 a382954e 4be67bf1 1784c97c 8292c275 bfe3ed41"
            + "80280004 c8fb0b4c";
    static final String LONG_TERM_REQUEST = ""
            + "000100602112a44278ad3433c6ad72c029da412e"
            + "00060012 e3839ee3 8388e383 aae38383 e382afe3 82b90000"
            + "0015001c 662f2f34 39396b39 35346436 4f4c3334 6f4c3946 53547679 36347341"
            + "0014000b 6578616d 706c652e 6f726700"
            + "00080014 f6702465 6dd64a3e 02b8e071 2e85c9a2 8ca89666";

    /**
     * @param key         MESSAGE-INTEGRITY key
     * @param fingerprint whether the vector ends with FINGERPRINT
     * @param padding     the padding byte the vector uses (RFC 5769 fills with spaces in 2.1-2.3)
     */
    record Golden(String name, String hex, StunMessage value, byte[] key, boolean fingerprint, int padding) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The RFC 5769 test vectors, exactly. */
    static Stream<Golden> golden() {
        byte[] tid = bytes(TID);
        return Stream.of(
                new Golden("RFC 5769 2.1 sample request", SAMPLE_REQUEST, new StunMessage(0x0001, tid, List.of(
                        new Software("STUN test client"), new Priority(0x6e0001ffL),
                        new IceControlled(0x932ff9b151263b36L), new Username("evtj:h6vY"),
                        new MessageIntegrity(bytes("9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2")),
                        new Fingerprint(0xe57a3bcf))), PASSWORD, true, 0x20),
                new Golden("RFC 5769 2.2 IPv4 response", IPV4_RESPONSE, new StunMessage(0x0101, tid, List.of(
                        new Software("test vector"), new XorMappedAddress(address("192.0.2.1", 32853)),
                        new MessageIntegrity(bytes("2b91f599fd9e90c38c7489f92af9ba53f06be7d7")),
                        new Fingerprint(0xc07d4c96))), PASSWORD, true, 0x20),
                new Golden("RFC 5769 2.3 IPv6 response", IPV6_RESPONSE, new StunMessage(0x0101, tid, List.of(
                        new Software("test vector"),
                        new XorMappedAddress(address("2001:db8:1234:5678:11:2233:4455:6677", 32853)),
                        new MessageIntegrity(bytes("a382954e4be67bf11784c97c8292c275bfe3ed41")),
                        new Fingerprint(0xc8fb0b4c))), PASSWORD, true, 0x20),
                new Golden("RFC 5769 2.4 long-term credential request", LONG_TERM_REQUEST,
                        new StunMessage(0x0001, bytes("78ad3433c6ad72c029da412e"), List.of(
                                new Username("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9"),
                                new Unknown(0x0015, "f//499k954d6OL34oL9FSTvy64sA".getBytes(StandardCharsets.US_ASCII)),
                                new Unknown(0x0014, "example.org".getBytes(StandardCharsets.US_ASCII)),
                                new MessageIntegrity(bytes("f67024656dd64a3e02b8e0712e85c9a28ca89666")))),
                        longTermKey(), false, 0x00));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    /** RFC 8489 9.2.2: key = MD5(username ":" realm ":" password), SASLprep'd password "TheMatrIX". */
    static byte[] longTermKey() {
        try {
            return MessageDigest.getInstance("MD5").digest(
                    "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9:example.org:TheMatrIX".getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static InetSocketAddress address(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        ByteBuffer b = ByteBuffer.wrap(bytes("ffff" + g.hex));
        b.position(2);
        assertThat(StunMessage.parse(b)).isEqualTo(g.value);
        assertThat(b.position()).isEqualTo(2);
    }

    /** Recomputing MESSAGE-INTEGRITY and FINGERPRINT gives the RFC's bytes. */
    @ParameterizedTest
    @MethodSource("goldenSource")
    void encodes(Golden g) {
        assertThat(hex(g.value.encode(g.key, g.fingerprint, g.padding))).isEqualTo(g.hex.replace(" ", ""));
        // The verbatim encoder differs only in padding.
        ByteBuffer out = ByteBuffer.allocate(g.value.encodedSize());
        g.value.encodeTo(out);
        assertThat(StunMessage.parse(out.flip())).isEqualTo(g.value);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void verifies(Golden g) {
        byte[] m = bytes(g.hex);
        assertThat(StunMessage.verifyIntegrity(m, g.key)).isTrue();
        assertThat(StunMessage.verifyIntegrity(m, "wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(StunMessage.verifyFingerprint(m)).isEqualTo(g.fingerprint);
        for (int i : new int[] {0, 3, 9, 21, m.length - 30}) {
            byte[] flipped = m.clone();
            flipped[i] ^= 0x04;
            assertThat(StunMessage.verifyIntegrity(flipped, g.key)).as("flip %d", i).isFalse();
            assertThat(StunMessage.verifyFingerprint(flipped)).as("flip %d", i).isFalse();
        }
    }

    @Test
    void typeMethodAndClass() {
        StunMessage request = StunMessage.parse(ByteBuffer.wrap(bytes(SAMPLE_REQUEST)));
        assertThat(request.isBindingRequest()).isTrue();
        assertThat(request.method()).isEqualTo(StunMessage.BINDING);
        assertThat(request.messageClass()).isEqualTo(StunMessage.MessageClass.REQUEST);
        assertThat(request.username()).hasValue("evtj:h6vY");
        assertThat(request.attribute(IceControlled.class)).hasValue(new IceControlled(0x932ff9b151263b36L));
        assertThat(request.attribute(UseCandidate.class)).isEmpty();
        assertThat(StunMessage.type(1, StunMessage.MessageClass.INDICATION)).isEqualTo(0x0011);
        assertThat(StunMessage.type(1, StunMessage.MessageClass.SUCCESS_RESPONSE)).isEqualTo(0x0101);
        assertThat(StunMessage.type(1, StunMessage.MessageClass.ERROR_RESPONSE)).isEqualTo(0x0111);
        assertThat(StunMessage.type(0xFFF, StunMessage.MessageClass.ERROR_RESPONSE)).isEqualTo(0x3FFF);
        StunMessage allocate = new StunMessage(StunMessage.type(0x003, StunMessage.MessageClass.ERROR_RESPONSE),
                new byte[12], List.of());
        assertThat(allocate.method()).isEqualTo(3);
        assertThat(allocate.messageClass()).isEqualTo(StunMessage.MessageClass.ERROR_RESPONSE);
    }

    /** What the ICE-lite agent answers a Binding request with (RFC 8445 7.3.1.4). */
    @Test
    void bindingSuccessResponse() {
        byte[] tid = bytes(TID);
        byte[] key = StunMessage.shortTermKey("serverpassword1234567890");
        for (InetSocketAddress mapped : List.of(address("203.0.113.7", 61000), address("2001:db8::1", 443))) {
            byte[] out = StunMessage.bindingSuccessResponse(tid, mapped, key);
            assertThat(StunMessage.isStun(ByteBuffer.wrap(out), 0, out.length)).isTrue();
            assertThat(StunMessage.verifyIntegrity(out, key)).isTrue();
            assertThat(StunMessage.verifyFingerprint(out)).isTrue();
            StunMessage m = StunMessage.parse(ByteBuffer.wrap(out));
            assertThat(m.type()).isEqualTo(StunMessage.BINDING_SUCCESS);
            assertThat(m.transactionId()).isEqualTo(tid);
            assertThat(m.attributes()).extracting(StunAttribute::type).containsExactly(StunAttribute.XOR_MAPPED_ADDRESS,
                    StunAttribute.MESSAGE_INTEGRITY, StunAttribute.FINGERPRINT);
            assertThat(m.attribute(XorMappedAddress.class)).hasValue(new XorMappedAddress(mapped));
        }
        // The RFC 5769 IPv4 response without SOFTWARE, built the same way, carries the same XOR-MAPPED-ADDRESS bytes.
        byte[] out = StunMessage.bindingSuccessResponse(tid, address("192.0.2.1", 32853), PASSWORD);
        assertThat(hex(out)).contains("000200080001a147e112a643".substring(4));
    }

    @Test
    void bindingErrorResponses() {
        byte[] tid = bytes(TID);
        byte[] unauthenticated = StunMessage.bindingErrorResponse(tid, 401, null);
        StunMessage m = StunMessage.parse(ByteBuffer.wrap(unauthenticated));
        assertThat(m.type()).isEqualTo(StunMessage.BINDING_ERROR);
        assertThat(m.attributes()).containsExactly(new ErrorCode(401, "Unauthorized"),
                m.attribute(Fingerprint.class).orElseThrow());
        assertThat(StunMessage.verifyFingerprint(unauthenticated)).isTrue();
        assertThat(hex(unauthenticated)).startsWith("0111001c2112a442" + TID + "0009001000000401" + hex(
                "Unauthorized".getBytes(StandardCharsets.US_ASCII)));
        assertThat(StunMessage.parse(ByteBuffer.wrap(StunMessage.bindingErrorResponse(tid, 400, null)))
                .attribute(ErrorCode.class)).hasValue(new ErrorCode(400, "Bad Request"));
        byte[] conflict = StunMessage.bindingErrorResponse(tid, 487, PASSWORD);
        assertThat(StunMessage.verifyIntegrity(conflict, PASSWORD)).isTrue();
        assertThat(StunMessage.parse(ByteBuffer.wrap(conflict)).attribute(ErrorCode.class))
                .hasValue(new ErrorCode(487, "Role Conflict"));
    }

    @Test
    void iceAttributesRoundTrip() {
        StunMessage m = new StunMessage(StunMessage.BINDING_REQUEST, bytes(TID), List.of(
                new Username("abcd:efgh"), new Priority(0xFFFF_FFFFL), new UseCandidate(),
                new IceControlling(-1L), new Unknown(0xC057, bytes("00010002"))));
        byte[] out = m.encode(PASSWORD, true);
        StunMessage back = StunMessage.parse(ByteBuffer.wrap(out));
        assertThat(back.attributes().subList(0, 5)).isEqualTo(m.attributes());
        assertThat(back.unknownComprehensionRequired()).isEmpty();
        StunMessage withRequired = new StunMessage(1, bytes(TID), List.of(new Unknown(0x0003, new byte[4])));
        assertThat(withRequired.unknownComprehensionRequired()).containsExactly(3);
    }

    @Test
    void attributesAfterIntegrityOtherThanFingerprintAreIgnored() {
        String hex = "000100242112a442" + TID + "00080014" + "00".repeat(20) + "00060004 61626364" + "";
        String fixed = hex.replace("00010024", "0001" + "0020");
        StunMessage m = StunMessage.parse(ByteBuffer.wrap(bytes(fixed)));
        assertThat(m.attributes()).hasSize(1).first().isInstanceOf(MessageIntegrity.class);
    }

    @Test
    void isStun() {
        assertThat(StunMessage.isStun(0x00)).isTrue();
        assertThat(StunMessage.isStun(0x01)).isTrue();
        assertThat(StunMessage.isStun(0x03)).isTrue();
        assertThat(StunMessage.isStun(0x04)).isFalse();
        assertThat(StunMessage.isStun(0x80)).isFalse();
        assertThat(StunMessage.isStun((byte) 0x16)).isFalse();
        byte[] m = bytes(SAMPLE_REQUEST);
        assertThat(StunMessage.isStun(ByteBuffer.wrap(m), 0, m.length)).isTrue();
        assertThat(StunMessage.isStun(ByteBuffer.wrap(m), 0, m.length - 4)).isFalse();
        byte[] noCookie = m.clone();
        noCookie[4] = 0;
        assertThat(StunMessage.isStun(ByteBuffer.wrap(noCookie), 0, m.length)).isFalse();
    }

    @Test
    void rejectsMalformed() {
        String h = "2112a442" + TID;
        String[] bad = {
            "",
            "0001000021",                                   // shorter than the header
            "c0010000" + h,                                 // top bits set
            "00010002" + h + "0000",                        // length not a multiple of 4
            "00010004" + h,                                 // length says 4, nothing follows
            "00010000" + h + "00000000",                    // bytes beyond the length
            "00010000" + "2112a443" + TID,                  // no magic cookie (RFC 3489)
            "00010008" + h + "00060008 61616161",           // attribute overruns
            "0001000c" + h + "80280004 00000000 00060000",  // attribute after FINGERPRINT
            "00010008" + h + "00080004 00000000",           // MESSAGE-INTEGRITY of 4 bytes
            "00010008" + h + "80280000 00000000",           // FINGERPRINT of 0 bytes... then junk
            "0001000c" + h + "00200008 0003a147 e112a643",  // address family 3
            "00010018" + h + "00200014 0001a147" + "00".repeat(16), // IPv4 with 16 address bytes
            "00010008" + h + "00200002 00010000",           // XOR-MAPPED-ADDRESS too short
            "0001000c" + h + "00240008 00000000 00000000",  // PRIORITY of 8 bytes
            "00010008" + h + "00250004 00000000",           // USE-CANDIDATE with a value
            "00010008" + h + "802a0004 00000000",           // ICE-CONTROLLING of 4 bytes
            "00010008" + h + "00090004 00000201",           // ERROR-CODE class 2
            "00010008" + h + "00090004 00000464",           // ERROR-CODE number 100
            "00010004" + h + "00090000",                    // ERROR-CODE without its word
            "00010008" + h + "00060002 c3280000",           // USERNAME not UTF-8
        };
        for (String hex : bad) {
            assertThatThrownBy(() -> StunMessage.parse(ByteBuffer.wrap(bytes(hex))), "%s", hex)
                    .isInstanceOf(StunParseException.class);
            byte[] b = bytes(hex);
            assertThat(StunMessage.verifyIntegrity(b, PASSWORD)).isFalse();
            assertThat(StunMessage.verifyFingerprint(b)).isFalse();
        }
    }

    @Test
    void recordsRejectBadValues() {
        assertThatThrownBy(() -> new StunMessage(0x4000, new byte[12], List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StunMessage(1, new byte[11], List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ErrorCode(700, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MessageIntegrity(new byte[19])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Priority(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new XorMappedAddress(InetSocketAddress.createUnresolved("example.org", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StunMessage(1, new byte[12], List.of()).encode(new byte[0], false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
