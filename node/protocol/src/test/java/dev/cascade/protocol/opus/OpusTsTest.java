package dev.cascade.protocol.opus;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cascade.protocol.mpegts.Pmt;
import dev.cascade.protocol.mpegts.StreamType;
import dev.cascade.protocol.mpegts.TsDemuxer;
import dev.cascade.protocol.mpegts.TsError;
import dev.cascade.protocol.mpegts.Pat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class OpusTsTest {
    /** The last PES payload of the sample: an end trim of 0x288 samples and a 318-byte packet. */
    static final String LAST_PES_PAYLOAD = ""
            + "7fe8ff3f0288f8b5379ae4d5d4d571036f6eb7fd928bce4b4aa72e140bab5bd80e5fcfb05ac954c2c23f6e46044d2e17"
            + "70600d601e700e00bfefb5d8197a4a90aebed2b1a21faf018439e2c117d30718dcba9baf8bac013b6301f64a3bbac1cb"
            + "9ec7b10824efba1272730b467bfa0855cfea7788da4ab978141abd002b2a4492844e285ca8d527364d876d05c6d3a8ce"
            + "573570e8b93267e4973410ad3940b83a8a7239283a5423e933f81bc40d6b33aeefae4cd64ccb852ad36bba0564b11f8c"
            + "73846800000000000000000000000000000000000000052059d0205dc0fd96fece8abb7dbb53dac0f8f8599fd0555ac6"
            + "59f8cf92f51237bc90d58a3fb74f98b9cf795cba35879a1d69aaaa64965e772d30fb96baac87b7de573eceae30734d2c"
            + "03dbc12f983393b429a0c89af3688f72fad3d5dba2d74873a49ae60da30b067e78b460ac";

    record Header(String name, int auSize, String hex) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Control headers without trims or extension: the form writeControlHeader produces. */
    static Stream<Header> headers() {
        return Stream.of(
                new Header("empty", 0, "7fe000"),
                new Header("libopus 172 bytes", 172, "7fe0ac"),
                new Header("254: one size byte", 254, "7fe0fe"),
                new Header("255: 0xFF then 0", 255, "7fe0ff00"),
                new Header("300 as in the sample", 300, "7fe0ff2d"),
                new Header("510: two 0xFF then 0", 510, "7fe0ffff00"));
    }

    static Stream<Header> headerSource() {
        return headers();
    }

    @ParameterizedTest
    @MethodSource("headerSource")
    void writesControlHeader(Header h) {
        ByteBuffer out = ByteBuffer.allocate(16);
        assertThat(OpusTs.writeControlHeader(out, h.auSize)).isEqualTo(bytes(h.hex).length)
                .isEqualTo(OpusTs.controlHeaderSize(h.auSize));
        assertThat(hex(java.util.Arrays.copyOf(out.array(), out.position()))).isEqualTo(h.hex);
    }

    @ParameterizedTest
    @MethodSource("headerSource")
    void readsControlHeader(Header h) {
        byte[] au = new byte[h.auSize];
        java.util.Arrays.fill(au, (byte) 0xF8);
        ByteBuffer payload = ByteBuffer.wrap(concat(bytes(h.hex), au));
        List<ByteBuffer> aus = OpusTs.splitAccessUnits(payload);
        assertThat(aus).hasSize(1);
        assertThat(aus.get(0).remaining()).isEqualTo(h.auSize);
    }

    @Test
    void realPesWithEndTrim() {
        byte[] payload = bytes(LAST_PES_PAYLOAD);
        assertThat(hex(java.util.Arrays.copyOf(payload, 6))).isEqualTo("7fe8ff3f0288");
        List<ByteBuffer> aus = OpusTs.splitAccessUnits(ByteBuffer.wrap(payload));
        assertThat(aus).hasSize(1);
        assertThat(aus.get(0).remaining()).isEqualTo(318);
        assertThat(aus.get(0).get(0)).isEqualTo((byte) 0xF8);
    }

    @Test
    void startTrimAndExtensionAreSkipped() {
        byte[] payload = bytes("7ff4 02 0138 03 aabbcc f8 01" + "7fe0 01 fc");
        List<ByteBuffer> aus = OpusTs.splitAccessUnits(ByteBuffer.wrap(payload));
        assertThat(aus).extracting(dev.cascade.protocol.Hex::hex).containsExactly("f801", "fc");
    }

    @Test
    void demuxedSampleYieldsAllAccessUnits() throws IOException {
        byte[] ts;
        try (InputStream in = OpusTsTest.class.getResourceAsStream("opus-mono-48k-0.5s.ts")) {
            ts = in.readAllBytes();
        }
        List<Pmt> pmts = new ArrayList<>();
        List<byte[]> aus = new ArrayList<>();
        List<Long> pts = new ArrayList<>();
        List<TsError> errors = new ArrayList<>();
        TsDemuxer demuxer = new TsDemuxer(new TsDemuxer.Listener() {
            @Override
            public void onPat(Pat pat) {}

            @Override
            public void onPmt(int pid, Pmt pmt) {
                pmts.add(pmt);
            }

            @Override
            public void onPes(int pid, int streamType, long p, long dts, boolean randomAccess, ByteBuffer payload) {
                pts.add(p);
                for (ByteBuffer au : OpusTs.splitAccessUnits(payload)) {
                    byte[] b = new byte[au.remaining()];
                    au.get(b);
                    aus.add(b);
                }
            }

            @Override
            public void onError(TsError error, int pid) {
                errors.add(error);
            }
        });
        demuxer.feed(ByteBuffer.wrap(ts));
        demuxer.flush();
        assertThat(errors).isEmpty();
        Pmt.ElementaryStream es = pmts.get(0).streams().get(0);
        assertThat(StreamType.isOpus(es.streamType(), es.descriptors())).isTrue();
        assertThat(StreamType.isAudio(es.streamType(), es.descriptors())).isTrue();
        assertThat(pts).hasSize(6);
        assertThat(aus).hasSize(26);
        int micros = 0;
        for (byte[] au : aus) {
            OpusToc toc = OpusToc.parse(au[0]);
            assertThat(toc).isEqualTo(new OpusToc(31, false, 0));
            micros += toc.packetDurationMicros(ByteBuffer.wrap(au));
        }
        assertThat(micros).isEqualTo(520_000);
    }

    @Test
    void rejectsMalformed() {
        String[] bad = {
            "7f",              // truncated
            "7fc0 01 f8",      // prefix 0x3FE
            "ffe0 01 f8",      // prefix bits beyond 11
            "7fe0 ff",         // au_size never ends
            "7fe0 02 f8",      // access unit cut short
            "7ff0 01 01",      // start trim cut short
            "7fe4 01 05 aa",   // extension longer than the payload
            "7fe4 01",         // extension length missing
            "7fe0 01 f8 7f",   // a second header cut short
        };
        for (String hex : bad) {
            assertThatThrownBy(() -> OpusTs.splitAccessUnits(ByteBuffer.wrap(bytes(hex))), "%s", hex)
                    .isInstanceOf(OpusParseException.class);
        }
        assertThat(OpusTs.splitAccessUnits(ByteBuffer.allocate(0))).isEmpty();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
