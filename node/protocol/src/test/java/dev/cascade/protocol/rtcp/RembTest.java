package dev.cascade.protocol.rtcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RembTest {

    @Test
    void encodingPicksTheSmallestExponent() {
        assertThat(Remb.of(1, 8_927_168, List.of())).isEqualTo(new Remb(1, 6, 139487, List.of()));
        assertThat(Remb.of(1, 0x3FFFF, List.of())).isEqualTo(new Remb(1, 0, 0x3FFFF, List.of()));
        assertThat(Remb.of(1, 0x40000, List.of())).isEqualTo(new Remb(1, 1, 0x20000, List.of()));
        assertThat(Remb.of(1, 0, List.of())).isEqualTo(new Remb(1, 0, 0, List.of()));
        // Low bits that do not fit are truncated: pion's TestReceiverEstimatedMaximumBitrateTruncate.
        assertThat(Remb.of(1, 8_927_167, List.of()).bitrate()).isEqualTo(8_927_104);
        assertThat(Remb.of(1, Long.MAX_VALUE, List.of())).isEqualTo(new Remb(1, 45, 0x3FFFF, List.of()));
        assertThatThrownBy(() -> Remb.of(1, -1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bitrateSaturatesInsteadOfOverflowing() {
        assertThat(new Remb(1, 63, 0x3FFFF, List.of()).bitrate()).isEqualTo(Long.MAX_VALUE);
        assertThat(new Remb(1, 45, 0x3FFFF, List.of()).bitrate()).isEqualTo(0x3FFFFL << 45);
        assertThat(new Remb(1, 46, 0x3FFFF, List.of()).bitrate()).isEqualTo(Long.MAX_VALUE);
        assertThat(new Remb(1, 62, 1, List.of()).bitrate()).isEqualTo(1L << 62);
        assertThat(new Remb(1, 63, 1, List.of()).bitrate()).isEqualTo(Long.MAX_VALUE);
        assertThat(new Remb(1, 63, 0, List.of()).bitrate()).isZero();
    }
}
