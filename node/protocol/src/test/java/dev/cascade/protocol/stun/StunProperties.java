package dev.cascade.protocol.stun;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cascade.protocol.Fuzz;
import dev.cascade.protocol.Hex;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class StunProperties {

    /** Arbitrary bytes raise only StunParseException, whatever decodes re-encodes, and the verifiers never throw. */
    @Property(tries = 2000)
    void parseThrowsOnlyStunParseExceptionAndReencodes(@ForAll("inputs") byte[] input) {
        boolean integrity = StunMessage.verifyIntegrity(input, StunMessageTest.PASSWORD);
        boolean fingerprint = StunMessage.verifyFingerprint(input);
        StunMessage m;
        try {
            m = StunMessage.parse(ByteBuffer.wrap(input));
        } catch (StunParseException expected) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(m.encodedSize());
        m.encodeTo(out);
        assertThat(StunMessage.parse(out.flip())).isEqualTo(m);
        if (integrity || fingerprint) {
            // Only intact vectors verify; a mutant that still does must be one in every covered byte.
            assertThat(m.transactionId()).isEqualTo(Hex.bytes(StunMessageTest.TID));
        }
    }

    @Property(tries = 1000)
    void responsesVerifyForAnyAddressAndKey(@ForAll @Size(min = 4, max = 4) byte[] v4,
                                            @ForAll @Size(min = 16, max = 16) byte[] v6, @ForAll boolean ipv6,
                                            @ForAll @IntRange(max = 65535) int port,
                                            @ForAll @Size(min = 12, max = 12) byte[] tid,
                                            @ForAll @Size(min = 1, max = 64) byte[] key) throws UnknownHostException {
        InetSocketAddress mapped = new InetSocketAddress(InetAddress.getByAddress(ipv6 ? v6 : v4), port);
        byte[] out = StunMessage.bindingSuccessResponse(tid, mapped, key);
        assertThat(StunMessage.verifyIntegrity(out, key)).isTrue();
        assertThat(StunMessage.verifyFingerprint(out)).isTrue();
        StunMessage m = StunMessage.parse(ByteBuffer.wrap(out));
        assertThat(m.attribute(StunAttribute.XorMappedAddress.class).orElseThrow().address()).isEqualTo(mapped);
        assertThat(m.transactionId()).isEqualTo(tid);
    }

    @Provide
    Arbitrary<byte[]> inputs() {
        return Arbitraries.oneOf(
                Fuzz.bytesAndMutants(StunMessageTest.golden().map(g -> Hex.bytes(g.hex())).collect(Collectors.toList()),
                        120),
                // Random attribute soup behind a valid header, so the attribute parsers see most inputs.
                Arbitraries.bytes().array(byte[].class).ofMaxSize(60).map(StunProperties::withHeader));
    }

    private static byte[] withHeader(byte[] body) {
        int len = body.length & ~3;
        ByteBuffer b = ByteBuffer.allocate(20 + len);
        b.putShort((short) 1).putShort((short) len).putInt(StunMessage.MAGIC_COOKIE).put(new byte[12]);
        b.put(body, 0, len);
        return b.array();
    }
}
