package dev.cascade.protocol.rtp;

import static dev.cascade.protocol.Hex.bytes;
import static dev.cascade.protocol.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RtpWriterTest {

    @Test
    void payloadWrittenInPlaceAfterTheHeader() {
        ByteBuffer out = ByteBuffer.allocate(64);
        RtpWriter w = new RtpWriter(16);
        w.start(out, 102, true, 7, 90_000, 0x11223344).absSendTime(2, 0x010203);
        int payloadStart = w.beginPayload();
        assertThat(payloadStart).isEqualTo(20); // 12 + 4 preamble + 4 (element padded)
        assertThat(w.maxPayload()).isEqualTo(64 - 20 - 16);
        out.put(bytes("65888400"));
        int length = w.finish();
        assertThat(length).isEqualTo(24);
        assertThat(hex(Arrays.copyOf(out.array(), length)))
                .isEqualTo("90e60007" + "00015f90" + "11223344" + "bede0001" + "22010203" + "65888400");
        assertThat(RtpPacket.checkHeader(out, 0, length)).isEqualTo(20);
    }

    @Test
    void extensionFromABufferDoesNotMoveIt() {
        ByteBuffer out = ByteBuffer.allocate(64);
        ByteBuffer mid = ByteBuffer.wrap("a1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        RtpWriter w = new RtpWriter(0);
        w.start(out, 96, false, 1, 2, 3).extension(4, mid).payload(ByteBuffer.wrap(bytes("ff")));
        int length = w.finish();
        assertThat(mid.position()).isZero();
        assertThat(hex(Arrays.copyOf(out.array(), length)))
                .isEqualTo("90600001" + "00000002" + "00000003" + "bede0001" + "41613100" + "ff");
    }

    @Test
    void maxPayloadCountsPendingExtensionPadding() {
        ByteBuffer out = ByteBuffer.allocate(40);
        RtpWriter w = new RtpWriter(10);
        w.start(out, 96, false, 1, 2, 3);
        assertThat(w.maxPayload()).isEqualTo(40 - 12 - 10);
        w.extension(1, 1, 0x7f); // 12 + 4 + 2, pads to 20
        assertThat(w.maxPayload()).isEqualTo(40 - 20 - 10);
        w.beginPayload();
        assertThat(w.maxPayload()).isEqualTo(10);
    }

    @Test
    void tailRoomIsEnforced() {
        RtpWriter w = new RtpWriter(RtpWriter.SRTP_TAIL_ROOM);
        assertThatThrownBy(() -> w.start(ByteBuffer.allocate(27), 96, false, 0, 0, 0))
                .isInstanceOf(BufferOverflowException.class);
        ByteBuffer out = ByteBuffer.allocate(12 + 16 + 4);
        w.start(out, 96, false, 0, 0, 0);
        assertThatThrownBy(() -> w.payload(ByteBuffer.allocate(5))).isInstanceOf(BufferOverflowException.class);
        w.payload(ByteBuffer.allocate(4));
        assertThat(w.finish()).isEqualTo(16);
        // Writing past the tail room by hand is caught at finish().
        ByteBuffer tight = ByteBuffer.allocate(12 + 16 + 4);
        w.start(tight, 96, false, 0, 0, 0).beginPayload();
        tight.put(new byte[10]);
        assertThatThrownBy(w::finish).isInstanceOf(BufferOverflowException.class);
    }

    @Test
    void rejectsMisuse() {
        RtpWriter w = new RtpWriter(0);
        ByteBuffer out = ByteBuffer.allocate(100);
        assertThatThrownBy(() -> w.start(out, 128, false, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(w::beginPayload).isInstanceOf(IllegalStateException.class);
        w.start(out, 96, false, 0, 0, 0);
        assertThatThrownBy(() -> w.extension(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.extension(15, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.extension(1, ByteBuffer.allocate(17))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w.extension(1, ByteBuffer.allocate(0))).isInstanceOf(IllegalArgumentException.class);
        w.beginPayload();
        assertThatThrownBy(() -> w.extension(1, 1, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RtpWriter(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
