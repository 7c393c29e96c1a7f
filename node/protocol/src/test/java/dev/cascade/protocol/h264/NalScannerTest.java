package dev.cascade.protocol.h264;

import static dev.cascade.protocol.Hex.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class NalScannerTest {
    /** AUD, SPS, PPS, SEI, IDR slice: the head of an x264 keyframe. */
    static final byte[] KEYFRAME = bytes("00000001 09f0 00000001 6764000dacd9 00000001 68ebe3cb22c0"
            + " 000001 0605ffff aa 00000001 65888400ff");
    /** AUD then a non-IDR slice with 3-byte start codes, and a zero byte that looks like a header. */
    static final byte[] INTER = bytes("000001 0930 000001 00 000001 419a2438");

    private final NalScanner scanner = new NalScanner();

    @Test
    void wholeAccessUnits() {
        assertThat(scanner.feed(ByteBuffer.wrap(KEYFRAME), 0, KEYFRAME.length)).isEqualTo(H264.NAL_IDR);
        assertThat(scanner.sawSps()).isTrue();
        scanner.reset();
        assertThat(scanner.feed(ByteBuffer.wrap(INTER), 0, INTER.length)).isEqualTo(H264.NAL_SLICE);
        assertThat(scanner.sawSps()).isFalse();
    }

    @Test
    void everySplitPointInTwoAndThreePieces() {
        for (byte[] au : new byte[][] {KEYFRAME, INTER}) {
            int expected = au == KEYFRAME ? 5 : 1;
            for (int a = 0; a <= au.length; a++) {
                for (int b = a; b <= au.length; b++) {
                    scanner.reset();
                    ByteBuffer buf = ByteBuffer.wrap(au);
                    int r = scanner.feed(buf, 0, a);
                    if (r < 0) {
                        r = scanner.feed(buf, a, b);
                    }
                    if (r < 0) {
                        r = scanner.feed(buf, b, au.length);
                    }
                    assertThat(r).as("split %d/%d", a, b).isEqualTo(expected);
                    assertThat(scanner.sawSps()).isEqualTo(au == KEYFRAME);
                }
            }
        }
    }

    @Test
    void oneByteAtATimeAndTheAnswerSticks() {
        int r = -1;
        for (int i = 0; i < KEYFRAME.length && r < 0; i++) {
            r = scanner.feed(ByteBuffer.wrap(KEYFRAME), i, i + 1);
        }
        assertThat(r).isEqualTo(5);
        assertThat(scanner.feed(ByteBuffer.wrap(INTER), 0, INTER.length)).isEqualTo(5); // until reset
    }

    @Test
    void noVclYet() {
        byte[] head = bytes("00000001 09f0 00000001 6764000d 0000");
        assertThat(scanner.feed(ByteBuffer.wrap(head), 0, head.length)).isEqualTo(-1);
        assertThat(scanner.sawSps()).isTrue();
        // The start code's last byte and the slice header arrive in the next piece.
        assertThat(scanner.feed(ByteBuffer.wrap(bytes("0165")), 0, 2)).isEqualTo(5);
    }
}
