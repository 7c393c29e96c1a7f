package dev.cascade.protocol.opus;

import static dev.cascade.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpusRtpTest {
    record Golden(String name, String payload, int increment) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** RFC 7587 4.1: the timestamp advances by the packet's 48 kHz sample count, whatever the mode. */
    static Stream<Golden> golden() {
        return Stream.of(
                new Golden("libopus CELT FB 20 ms (the sample TS)", "f8ffe1", 960),
                new Golden("CELT 2.5 ms", "80aa", 120),
                new Golden("CELT 10 ms, two frames (code 1)", "f1aabb", 960),
                new Golden("SILK NB 60 ms", "18aa", 2880),
                new Golden("SILK 20 ms x 6 (code 3): 120 ms", "0b06aabbcc", 5760),
                new Golden("Hybrid SWB 10 ms", "60aa", 480),
                new Golden("DTX: TOC only", "f8", 960));
    }

    static Stream<Golden> goldenSource() {
        return golden();
    }

    @ParameterizedTest
    @MethodSource("goldenSource")
    void timestampIncrement(Golden g) {
        ByteBuffer p = ByteBuffer.wrap(bytes("00" + g.payload));
        p.position(1);
        assertThat(OpusRtp.timestampIncrement(p)).isEqualTo(g.increment);
        assertThat(p.position()).isEqualTo(1);
    }

    @Test
    void samplesAt48kHz() {
        assertThat(OpusRtp.samples(20_000)).isEqualTo(960);
        assertThat(OpusRtp.samples(2_500)).isEqualTo(120);
        assertThat(OpusRtp.samples(120_000)).isEqualTo(5760);
        assertThat(OpusRtp.CLOCK_RATE).isEqualTo(48_000);
        assertThat(OpusRtp.SDP_CHANNELS).isEqualTo(2);
    }

    @Test
    void checkPayloadReturnsTheToc() {
        assertThat(OpusRtp.checkPayload(ByteBuffer.wrap(bytes("fc01")))).isEqualTo(new OpusToc(31, true, 0));
    }

    @Test
    void rejectsPayloadsThatAreNotOneOpusPacket() {
        for (String hex : new String[] {"", "f9aa", "fb", "fb00", "fb07"}) {
            assertThatThrownBy(() -> OpusRtp.timestampIncrement(ByteBuffer.wrap(bytes(hex))), "%s", hex)
                    .isInstanceOf(OpusParseException.class);
        }
    }
}
