package dev.cascade.protocol.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class NtpTimeTest {

    private static long nanos(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** RFC 3550 section 6.4.1, Figure 2: the SR at 10 Nov 1995 11:33:25.125 UTC and the RTT of 6.125 s. */
    @Test
    void rfc3550Figure2() {
        long ntp = 0xb44db705_20000000L;
        assertThat(NtpTime.fromUnixNanos(nanos("1995-11-10T11:33:25.125Z"))).isEqualTo(ntp);
        assertThat(NtpTime.toUnixNanos(ntp)).isEqualTo(nanos("1995-11-10T11:33:25.125Z"));
        assertThat(NtpTime.compact(ntp)).isEqualTo(0xb7052000);
        assertThat(NtpTime.roundTripNanos(0xb7108000, 0xb7052000, 0x00054000)).isEqualTo(6_125_000_000L);
        assertThat(NtpTime.toDelayUnits(5_250_000_000L)).isEqualTo(0x00054000);
        assertThat(NtpTime.fromDelayUnits(0x00054000)).isEqualTo(5_250_000_000L);
    }

    @Test
    void epochsAndEras() {
        assertThat(NtpTime.fromUnixMillis(0)).isEqualTo(NtpTime.UNIX_EPOCH_SECONDS << 32);
        // The Chrome SR of RtcpTest was sent in 2019.
        assertThat(Instant.ofEpochSecond(0, NtpTime.toUnixNanos(0xe020a2a952a53fc0L)).toString()).startsWith("2019-");
        // After February 2036 the 32-bit seconds wrap; values with the top bit clear are era 1.
        long after = nanos("2040-01-01T00:00:00Z");
        long ntp = NtpTime.fromUnixNanos(after);
        assertThat(ntp >>> 63).isZero();
        assertThat(NtpTime.toUnixNanos(ntp)).isEqualTo(after);
        long now = nanos("2026-05-01T12:34:56.789012345Z");
        assertThat(Math.abs(NtpTime.toUnixNanos(NtpTime.fromUnixNanos(now)) - now)).isLessThanOrEqualTo(1);
    }

    @Test
    void roundTripEdgeCases() {
        assertThat(NtpTime.roundTripNanos(0x10000, 0, 0)).isEqualTo(-1); // no SR received yet
        assertThat(NtpTime.roundTripNanos(0x10000, 0x20000, 0)).isEqualTo(-1); // clock went backwards
        assertThat(NtpTime.roundTripNanos(0x00000100, 0xffffff00, 0)).isEqualTo(NtpTime.fromDelayUnits(0x200));
        assertThat(NtpTime.toDelayUnits(-5)).isZero();
        assertThat(NtpTime.toDelayUnits(Long.MAX_VALUE)).isEqualTo(0xFFFF_FFFFL);
    }
}
