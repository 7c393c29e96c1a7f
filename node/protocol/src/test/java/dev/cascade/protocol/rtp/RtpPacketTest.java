package dev.cascade.protocol.rtp;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RtpPacketTest {
    /** What the accessors should return. */
    record Fields(boolean padding, boolean extension, int csrcCount, boolean marker, int payloadType, int sequenceNumber,
                  int timestamp, int ssrc, int headerLength, int payloadLength) {}

    /** A one-byte extension element the writer adds: {@code size} low bytes of {@code value}. */
    record Ext(int id, int size, long value) {}

    /**
     * @param extensions the elements RtpWriter writes to reproduce {@code hex}, or null when the
     *                   writer cannot (CSRCs, padding, two-byte or non-RFC 8285 extensions)
     */
    record Golden(String name, String hex, Fields fields, List<Ext> extensions, String payloadHex) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The first packet is pion/rtp's packet_test.go TestBasic vector; the others are built by hand
     * from the RFC 3550 5.1 and RFC 8285 4.2/4.3 diagrams, shaped like what Chromium sends (video
     * with abs-send-time id 2 and transport-cc id 3-4, audio with ssrc-audio-level id 1).
     */
    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("pion TestBasic: marker, PT 96, profile 0x0001 extension", "90e0698fd9c293da1c642782"
                        + "00010001ffffffff" + "9836be889e",
                        new Fields(false, true, 0, true, 96, 27023, 0xd9c293da, 0x1c642782, 20, 5), null, "9836be889e"),
                new Golden("video, one-byte abs-send-time + transport-cc, padded block",
                        "90661234 00015f90 12345678 bede0002 22abcdef 41010200 7c85aabbcc",
                        new Fields(false, true, 0, false, 102, 0x1234, 0x15f90, 0x12345678, 24, 5),
                        List.of(new Ext(2, 3, 0xabcdef), new Ext(4, 2, 0x0102)), "7c85aabbcc"),
                new Golden("audio, ssrc-audio-level, marker", "90ef3039 075bcd15 499602d2 bede0001 10ff0000 fcfffe",
                        new Fields(false, true, 0, true, 111, 12345, 0x075bcd15, 0x499602d2, 20, 3),
                        List.of(new Ext(1, 1, 0xff)), "fcfffe"),
                new Golden("no extension, empty payload", "80000000 00000000 00000000",
                        new Fields(false, false, 0, false, 0, 0, 0, 0, 12, 0), List.of(), ""),
                new Golden("two CSRCs and 4 bytes of padding", "a2e0ffff ffffffff deadbeef 00000001 00000002 010203 00000004",
                        new Fields(true, false, 2, true, 96, 0xffff, 0xffffffff, 0xdeadbeef, 20, 3), null, "010203"),
                new Golden("two-byte extension: empty id 1, id 15 of 3 bytes", "906f0001 00000000 00000001 10000002"
                        + "0100 0f03aabbcc 00 f8ff",
                        new Fields(false, true, 0, false, 111, 1, 0, 1, 24, 2), null, "f8ff"));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        // At an offset inside a bigger pooled buffer, position elsewhere.
        byte[] packet = bytes(g.hex);
        ByteBuffer b = ByteBuffer.allocate(packet.length + 40);
        b.put(7, packet).position(3);
        int off = 7;
        int len = packet.length;
        Fields f = g.fields;
        assertThat(RtpPacket.isRtp(b, off, len)).isTrue();
        assertThat(RtpPacket.checkHeader(b, off, len)).isEqualTo(f.headerLength);
        assertThat(RtpPacket.version(b, off)).isEqualTo(2);
        assertThat(new Fields(RtpPacket.padding(b, off), RtpPacket.extension(b, off), RtpPacket.csrcCount(b, off),
                RtpPacket.marker(b, off), RtpPacket.payloadType(b, off), RtpPacket.sequenceNumber(b, off),
                RtpPacket.timestamp(b, off), RtpPacket.ssrc(b, off), RtpPacket.headerLength(b, off, len),
                RtpPacket.payloadLength(b, off, len))).isEqualTo(f);
        assertThat(RtpPacket.payloadOffset(b, off, len)).isEqualTo(off + f.headerLength);
        byte[] payload = new byte[f.payloadLength];
        b.get(off + f.headerLength, payload);
        assertThat(hex(payload)).isEqualTo(g.payloadHex);
        assertThat(b.position()).isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void encodes(Golden g) {
        if (g.extensions == null) {
            return;
        }
        ByteBuffer out = ByteBuffer.allocate(100);
        out.position(5);
        RtpWriter w = new RtpWriter(RtpWriter.SRTP_TAIL_ROOM);
        Fields f = g.fields;
        w.start(out, f.payloadType, f.marker, f.sequenceNumber, f.timestamp, f.ssrc);
        for (Ext e : g.extensions) {
            w.extension(e.id, e.size, e.value);
        }
        w.payload(ByteBuffer.wrap(bytes(g.payloadHex)));
        int length = w.finish();
        assertThat(w.packetStart()).isEqualTo(5);
        assertThat(out.position()).isEqualTo(5 + length);
        assertThat(hex(Arrays.copyOfRange(out.array(), 5, 5 + length))).isEqualTo(g.hex.replace(" ", ""));
    }

    @Test
    void findsOneByteExtensions() {
        ByteBuffer b = ByteBuffer.wrap(bytes("90661234 00015f90 12345678 bede0002 22abcdef 41010200 7c85aabbcc"));
        int len = b.capacity();
        int at = RtpPacket.findExtension(b, 0, len, 2);
        assertThat(at).isEqualTo(17);
        assertThat(RtpPacket.extensionElementLength(b, 0, at)).isEqualTo(3);
        assertThat(AbsSendTime.read(b, at)).isEqualTo(0xabcdef);
        at = RtpPacket.findExtension(b, 0, len, 4);
        assertThat(at).isEqualTo(21);
        assertThat(RtpPacket.extensionElementLength(b, 0, at)).isEqualTo(2);
        assertThat(RtpPacket.findExtension(b, 0, len, 3)).isEqualTo(-1);
        assertThat(RtpPacket.extensionProfile(b, 0)).isEqualTo(RtpPacket.PROFILE_ONE_BYTE);
        assertThat(RtpPacket.extensionDataOffset(b, 0)).isEqualTo(16);
        assertThat(RtpPacket.extensionDataLength(b, 0)).isEqualTo(8);
        // Rewriting abs-send-time in place, as a forwarder does.
        AbsSendTime.write(b, RtpPacket.findExtension(b, 0, len, 2), 0x123456);
        assertThat(hex(b)).isEqualTo("906612340001" + "5f9012345678bede000222123456410102007c85aabbcc");
    }

    @Test
    void findsTwoByteExtensionsIncludingEmptyOnes() {
        ByteBuffer b = ByteBuffer.wrap(bytes("906f0001 00000000 00000001 10000002 0100 0f03aabbcc 00 f8ff"));
        int len = b.capacity();
        int at = RtpPacket.findExtension(b, 0, len, 1);
        assertThat(at).isEqualTo(18);
        assertThat(RtpPacket.extensionElementLength(b, 0, at)).isZero();
        at = RtpPacket.findExtension(b, 0, len, 15);
        assertThat(at).isEqualTo(20);
        assertThat(RtpPacket.extensionElementLength(b, 0, at)).isEqualTo(3);
        List<String> seen = new ArrayList<>();
        RtpPacket.forEachExtension(b, 0, len, (id, offset, length) -> seen.add(id + "@" + offset + "+" + length));
        assertThat(seen).containsExactly("1@18+0", "15@20+3");
    }

    @Test
    void oneByteId15EndsTheExtensionBlock() {
        // RFC 8285 4.2: elements after ID 15 are not considered.
        ByteBuffer b = ByteBuffer.wrap(bytes("90000000 00000000 00000000 bede0002 10aa f0 20bbcc 000000"));
        int len = b.capacity();
        assertThat(RtpPacket.findExtension(b, 0, len, 1)).isEqualTo(17);
        assertThat(RtpPacket.findExtension(b, 0, len, 2)).isEqualTo(-1);
        List<Integer> ids = new ArrayList<>();
        RtpPacket.forEachExtension(b, 0, len, (id, offset, length) -> ids.add(id));
        assertThat(ids).containsExactly(1);
    }

    @Test
    void packetsWithoutRfc8285ExtensionsHaveNone() {
        ByteBuffer b = ByteBuffer.wrap(bytes("90e0698fd9c293da1c64278200010001ffffffff9836be889e"));
        assertThat(RtpPacket.findExtension(b, 0, b.capacity(), 1)).isEqualTo(-1);
        ByteBuffer plain = ByteBuffer.wrap(bytes("80000000 00000000 00000000"));
        assertThat(RtpPacket.extensionProfile(plain, 0)).isEqualTo(-1);
        assertThat(RtpPacket.extensionDataLength(plain, 0)).isZero();
        assertThat(RtpPacket.findExtension(plain, 0, 12, 1)).isEqualTo(-1);
    }

    @Test
    void settersRewriteInPlace() {
        ByteBuffer b = ByteBuffer.wrap(bytes("90661234 00015f90 12345678 bede0002 22abcdef 41010200 7c85aabbcc"));
        RtpPacket.setSequenceNumber(b, 0, 0xfffe);
        RtpPacket.setTimestamp(b, 0, 0xcafebabe);
        RtpPacket.setSsrc(b, 0, 0x01020304);
        RtpPacket.setPayloadType(b, 0, 96);
        RtpPacket.setMarker(b, 0, true);
        assertThat(hex(b)).isEqualTo("90e0fffecafebabe01020304bede000222abcdef410102007c85aabbcc");
        RtpPacket.setMarker(b, 0, false);
        RtpPacket.setPayloadType(b, 0, 127);
        assertThat(RtpPacket.payloadType(b, 0)).isEqualTo(127);
        assertThat(RtpPacket.marker(b, 0)).isFalse();
        assertThatThrownBy(() -> RtpPacket.setPayloadType(b, 0, 128)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isRtpTellsRtpFromRtcpAndOthers() {
        assertThat(RtpPacket.isRtp(ByteBuffer.wrap(bytes("80c8000600000001 00000000")), 0, 12)).isFalse(); // SR
        assertThat(RtpPacket.isRtp(ByteBuffer.wrap(bytes("81cd000300000001 00000000")), 0, 12)).isFalse(); // NACK
        assertThat(RtpPacket.isRtp(ByteBuffer.wrap(bytes("80df000000000000 00000000")), 0, 12)).isFalse(); // 223
        assertThat(RtpPacket.isRtp(ByteBuffer.wrap(bytes("80e0000000000000 00000000")), 0, 12)).isTrue(); // M + 96
        assertThat(RtpPacket.isRtp(ByteBuffer.wrap(bytes("80bf000000000000 00000000")), 0, 12)).isTrue(); // M + 63
        assertThat(RtpPacket.isRtp(ByteBuffer.wrap(bytes("000100582112a442 b7e7a701")), 0, 12)).isFalse(); // STUN
        assertThat(RtpPacket.isRtp(ByteBuffer.wrap(bytes("80600000 000000")), 0, 7)).isFalse(); // short
    }

    @Test
    void rejectsMalformed() {
        String[] bad = {
            "",
            "80600001 00000000 000000",                    // 11 bytes
            "40600001 00000000 00000000",                  // version 1
            "81600001 00000000 00000000",                  // CSRC count 1, no CSRC
            "90600001 00000000 00000000",                  // X without the preamble
            "90600001 00000000 00000000 bede00",           // preamble cut
            "90600001 00000000 00000000 bede0001 1000",    // block of 1 word, 2 bytes present
            "a0600001 00000000 00000000 00",               // padding count 0
            "a0600001 00000000 00000000 0005",             // padding longer than the payload
            "a0600001 00000000 00000000",                  // padding with no payload at all: count is the SSRC byte
        };
        for (String hex : bad) {
            ByteBuffer b = ByteBuffer.wrap(bytes(hex));
            int len = b.capacity();
            assertThatThrownBy(() -> RtpPacket.checkHeader(b, 0, len), "%s", hex).isInstanceOf(RtpParseException.class);
            assertThat(RtpPacket.payloadLength(b, 0, len)).as(hex).isEqualTo(-1);
        }
        assertThatThrownBy(() -> RtpPacket.checkHeader(ByteBuffer.allocate(12), 4, 12))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sequenceDeltaWraps() {
        assertThat(RtpPacket.sequenceDelta(65535, 0)).isEqualTo(1);
        assertThat(RtpPacket.sequenceDelta(0, 65535)).isEqualTo(-1);
        assertThat(RtpPacket.sequenceDelta(100, 100)).isZero();
        assertThat(RtpPacket.sequenceDelta(0, 32767)).isEqualTo(32767);
        assertThat(RtpPacket.sequenceDelta(0, 32768)).isEqualTo(-32768);
    }
}
