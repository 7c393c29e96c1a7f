package dev.cascade.protocol.h264;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SeiTest {
    /** x264 writes its version and options as user_data_unregistered under this UUID. */
    static final UUID X264_UUID = UUID.fromString("dc45e9bd-e6d9-48b7-962c-d820d923eeef");

    /** The SEI NAL unit x264 (core 164) put in a Constrained Baseline 320x240 stream. */
    static final String X264_SEI = ""
                + "0605ffff6ddc45e9bde6d948b7962cd820d923eeef78323634202d20636f726520313634207233303935206261656534"
                + "3030202d20482e3236342f4d5045472d342041564320636f646563202d20436f70796c65667420323030332d32303232"
                + "202d20687474703a2f2f7777772e766964656f6c616e2e6f72672f783236342e68746d6c202d206f7074696f6e733a20"
                + "63616261633d30207265663d33206465626c6f636b3d313a303a3020616e616c7973653d3078313a3078313131206d65"
                + "3d686578207375626d653d37207073793d31207073795f72643d312e30303a302e3030206d697865645f7265663d3120"
                + "6d655f72616e67653d3136206368726f6d615f6d653d31207472656c6c69733d31203878386463743d302063716d3d30"
                + "20646561647a6f6e653d32312c313120666173745f70736b69703d31206368726f6d615f71705f6f66667365743d2d32"
                + "20746872656164733d33206c6f6f6b61686561645f746872656164733d3120736c696365645f746872656164733d3020"
                + "6e723d3020646563696d6174653d3120696e7465726c616365643d3020626c757261795f636f6d7061743d3020636f6e"
                + "73747261696e65645f696e7472613d3020626672616d65733d3020776569676874703d30206b6579696e743d32353020"
                + "6b6579696e745f6d696e3d3235207363656e656375743d343020696e7472615f726566726573683d302072635f6c6f6f"
                + "6b61686561643d34302072633d637266206d62747265653d31206372663d32332e302071636f6d703d302e3630207170"
                + "6d696e3d302071706d61783d3639207170737465703d342069705f726174696f3d312e34302061713d313a312e303000"
                + "80";;

    record Golden(String name, String hex, List<SeiMessage> value) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Golden> golden() {
        byte[] x264 = bytes(X264_SEI);
        byte[] x264Payload = Arrays.copyOfRange(x264, 5, x264.length - 1); // after 06 05 ff ff 6d, before 80
        byte[] big = new byte[300];
        Arrays.fill(big, (byte) 0x11);
        return Stream.of(
                new Golden("x264 version string, size 255 + 255 + 109", X264_SEI,
                        List.of(new SeiMessage(5, x264Payload))),
                new Golden("type 256 size 300 then an empty message",
                        "06 ff01 ff2d" + "11".repeat(300) + "01 00 80",
                        List.of(new SeiMessage(256, big), new SeiMessage(1, new byte[0]))),
                new Golden("recovery point with a payload needing emulation prevention", "06 06 04 000003 0180 80",
                        List.of(new SeiMessage(6, bytes("00000180")))));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void decodes(Golden g) {
        assertThat(Sei.parse(ByteBuffer.wrap(bytes(g.hex)))).isEqualTo(g.value);
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void encodes(Golden g) {
        assertThat(hex(Sei.build(g.value))).isEqualTo(g.hex.replace(" ", ""));
    }

    @Test
    void x264UserDataIsReadableByUuid() {
        SeiMessage m = Sei.parse(ByteBuffer.wrap(bytes(X264_SEI))).get(0);
        String text = new String(Sei.readUserDataUnregistered(m, X264_UUID).orElseThrow(), StandardCharsets.US_ASCII);
        assertThat(text).startsWith("x264 - core 164");
        assertThat(Sei.readUserDataUnregistered(m, UUID.randomUUID())).isEmpty();
        assertThat(Sei.readUserDataUnregistered(new SeiMessage(4, m.payload()), X264_UUID)).isEmpty();
        assertThat(Sei.readUserDataUnregistered(new SeiMessage(5, new byte[15]), X264_UUID)).isEmpty();
    }

    @Test
    void userDataUnregisteredRoundTripsThroughEscaping() {
        UUID uuid = UUID.fromString("00000000-0000-0001-0000-000000000003");
        byte[] data = bytes("0000000000000001 000003 0000");
        byte[] nal = Sei.userDataUnregistered(uuid, data);
        assertThat(nal[0]).isEqualTo((byte) 0x06);
        assertThat(hex(nal)).doesNotContainPattern("^(..)*0000(00|01|02)");
        List<SeiMessage> messages = Sei.parse(ByteBuffer.wrap(nal));
        assertThat(messages).hasSize(1);
        Optional<byte[]> back = Sei.readUserDataUnregistered(messages.get(0), uuid);
        assertThat(back).hasValueSatisfying(b -> assertThat(b).isEqualTo(data));
    }

    @Test
    void trailingZeroBytesAfterTheStopBitAreAccepted() {
        assertThat(Sei.parse(ByteBuffer.wrap(bytes("06 0501aa 80 0000")))).containsExactly(new SeiMessage(5, bytes("aa")));
    }

    @Test
    void rejectsMalformed() {
        String[] bad = {
            "",
            "07 0501aa80",        // not an SEI
            "86 0501aa80",        // forbidden_zero_bit
            "06 0505aa80",        // payloadSize beyond the NAL unit
            "06 ffff",            // payloadType never ends
            "06 05ff",            // payloadSize never ends
            "06 05",              // payloadSize missing
        };
        for (String hex : bad) {
            assertThatThrownBy(() -> Sei.parse(ByteBuffer.wrap(bytes(hex))), "%s", hex)
                    .isInstanceOf(H264ParseException.class);
        }
    }
}
