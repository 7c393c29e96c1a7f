package dev.cascade.protocol.mpegts;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static dev.cascade.protocol.mpegts.Packets.concat;
import static dev.cascade.protocol.mpegts.Packets.packet;
import static dev.cascade.protocol.mpegts.Packets.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PsiAssemblerTest {
    static final byte[] PAT = bytes("00b00d0001c100000001f0002ab104b2");

    private final PsiAssembler asm = new PsiAssembler();

    /** Feeds packets (each at offset 3 of a bigger buffer, to test absolute offsets) and collects sections. */
    private List<String> feedAll(byte[]... packets) {
        List<String> out = new ArrayList<>();
        for (byte[] p : packets) {
            ByteBuffer b = ByteBuffer.allocate(TsPacket.SIZE + 5);
            b.position(3);
            b.put(p);
            b.position(0);
            for (ByteBuffer s = asm.feed(b, 3); s != null; s = asm.next()) {
                assertThat(s.position()).isZero();
                out.add(hex(s));
            }
        }
        return out;
    }

    @Test
    void sectionInOnePacket() {
        assertThat(feedAll(packet(0, true, 0, concat(bytes("00"), PAT)))).containsExactly(hex(PAT));
    }

    @Test
    void sectionSpanningPacketsThenPointerFieldSkipsItsTail() {
        byte[] big = section(0x02, 300);
        byte[] first = concat(bytes("00"), range(big, 0, 183));
        // Second packet: 117 more bytes of "big", then via pointer_field a PAT.
        byte[] second = concat(range(big, 183, 300));
        assertThat(feedAll(packet(0x100, true, 0, first))).isEmpty();
        byte[] withPointer = concat(new byte[] {0}, range(big, 183, 300), PAT);
        withPointer[0] = (byte) (300 - 183);
        assertThat(second).hasSize(117);
        assertThat(feedAll(packet(0x100, true, 1, withPointer))).containsExactly(hex(big), hex(PAT));
    }

    @Test
    void headerSplitAcrossPackets() {
        // The section starts in the last two payload bytes: table_id and half of section_length.
        byte[] first = new byte[184];
        java.util.Arrays.fill(first, (byte) 0xFF);
        first[0] = (byte) 181;
        first[182] = PAT[0];
        first[183] = PAT[1];
        assertThat(feedAll(packet(0, true, 0, first))).isEmpty();
        assertThat(feedAll(packet(0, false, 1, range(PAT, 2, PAT.length)))).containsExactly(hex(PAT));
    }

    @Test
    void twoSectionsInOnePacketThenStuffing() {
        assertThat(feedAll(packet(0, true, 0, concat(bytes("00"), PAT, PAT))))
                .containsExactly(hex(PAT), hex(PAT));
    }

    @Test
    void largeSectionOverSixPackets() {
        byte[] big = section(0x02, 1024);
        List<byte[]> packets = new ArrayList<>();
        packets.add(packet(0x100, true, 0, concat(bytes("00"), range(big, 0, 183))));
        int cc = 1;
        for (int p = 183; p < big.length; p += 184, cc++) {
            packets.add(packet(0x100, false, cc, range(big, p, Math.min(big.length, p + 184))));
        }
        assertThat(packets).hasSize(6);
        assertThat(feedAll(packets.toArray(new byte[0][]))).containsExactly(hex(big));
    }

    @Test
    void continuationWithoutStartIsIgnored() {
        assertThat(feedAll(packet(0, false, 0, PAT))).isEmpty();
    }

    @Test
    void adaptationOnlyPacketIsIgnored() {
        byte[] p = new byte[188];
        p[0] = 0x47;
        p[3] = 0x20;
        p[4] = (byte) 183;
        assertThat(feedAll(p)).isEmpty();
    }

    @Test
    void sectionCutByNewStartIsDroppedAndTheNewOneDelivered() {
        byte[] big = section(0x02, 300);
        assertThat(feedAll(packet(0x100, true, 0, concat(bytes("00"), range(big, 0, 183))))).isEmpty();
        // The packet holding the rest was lost; the next start has pointer_field 0.
        assertThat(feedAll(packet(0x100, true, 2, concat(bytes("00"), PAT)))).containsExactly(hex(PAT));
    }

    @Test
    void pointerPastPacketThrowsAndAssemblerRecovers() {
        byte[] bad = new byte[184];
        bad[0] = (byte) 183; // would leave no byte for the section start
        assertThatThrownBy(() -> feedAll(packet(0, true, 0, bad))).isInstanceOf(TsParseException.class);
        assertThat(feedAll(packet(0, true, 1, concat(bytes("00"), PAT)))).containsExactly(hex(PAT));
    }

    @Test
    void oversizedSectionLengthThrows() {
        // section_length 0xFFF exceeds the 4093 that any section may use.
        assertThatThrownBy(() -> feedAll(packet(0, true, 0, bytes("0000bfff")))).isInstanceOf(TsParseException.class);
    }

    @Test
    void resetDropsSectionInProgress() {
        byte[] big = section(0x02, 300);
        feedAll(packet(0x100, true, 0, concat(bytes("00"), range(big, 0, 183))));
        asm.reset();
        assertThat(feedAll(packet(0x100, false, 1, range(big, 183, 300)))).isEmpty();
    }

    /** A long-form section of {@code total} bytes with a valid CRC and a recognisable body. */
    static byte[] section(int tableId, int total) {
        byte[] s = new byte[total];
        s[0] = (byte) tableId;
        s[1] = (byte) (0xB0 | ((total - 3) >> 8));
        s[2] = (byte) (total - 3);
        for (int i = 3; i < total - 4; i++) {
            s[i] = (byte) i;
        }
        ByteBuffer.wrap(s).putInt(total - 4, Crc32Mpeg.compute(s, 0, total - 4));
        return s;
    }
}
