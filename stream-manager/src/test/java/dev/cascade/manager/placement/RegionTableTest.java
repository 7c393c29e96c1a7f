package dev.cascade.manager.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RegionTableTest {

    static final String TABLE = """
            # Cascade test regions
            10.0.0.0/8          eu-west
            10.1.0.0/16         eu-central   # more specific than the /8
            10.1.2.0/24         eu-north
            10.1.2.3/32         eu-south
            192.168.0.0/16      lan
            ::ffff:172.16.0.0/108 corp       # mapped form: stored as 172.16.0.0/12
            0.0.0.0/0           default-v4

            2001:db8::/32       us-east
            2001:DB8:1::/48     us-west
            2001:db8:1:2::/64   us-central
            ::1/128             loopback
            """;

    static final RegionTable REGIONS = RegionTable.parse(TABLE);

    /** Golden lookups: (address literal, region or null). */
    record Lookup(String ip, String region) {}

    static Stream<Lookup> lookups() {
        return Stream.of(
                new Lookup("10.1.2.3", "eu-south"),
                new Lookup("10.1.2.4", "eu-north"),
                new Lookup("10.1.3.1", "eu-central"),
                new Lookup("10.2.0.1", "eu-west"),
                new Lookup("10.255.255.255", "eu-west"),
                new Lookup("11.0.0.1", "default-v4"),
                new Lookup("192.168.255.255", "lan"),
                new Lookup("172.20.1.1", "corp"),
                new Lookup("172.32.0.1", "default-v4"),
                // IPv4-mapped IPv6, as a dual-stack socket reports an IPv4 client: the IPv4 entries apply.
                new Lookup("::ffff:10.1.2.3", "eu-south"),
                new Lookup("::FFFF:10.1.3.1", "eu-central"),
                new Lookup("::ffff:a01:203", "eu-south"),
                new Lookup("0:0:0:0:0:ffff:0a01:0204", "eu-north"),
                new Lookup("2001:db8:1:2::5", "us-central"),
                new Lookup("2001:DB8:1:2:0:0:0:5", "us-central"),
                new Lookup("2001:0db8:0001:0002:0000:0000:0000:0005", "us-central"),
                new Lookup("2001:db8:1:3::1", "us-west"),
                new Lookup("2001:db8:ffff::1", "us-east"),
                new Lookup("2001:db8::10.1.2.3", "us-east"),
                new Lookup("2001:db9::1", null),
                new Lookup("::1", "loopback"),
                new Lookup("::2", null),
                // IPv4-compatible (deprecated, RFC 4291 section 2.5.5.1) is plain IPv6: no IPv4 match.
                new Lookup("::10.1.2.3", null),
                new Lookup("::", null),
                new Lookup("fe80::1%1", null),
                new Lookup("2001:db8:1:2::5%3", "us-central"));
    }

    @ParameterizedTest
    @MethodSource("lookups")
    void longestPrefixWins(Lookup l) throws Exception {
        assertThat(REGIONS.regionOf(l.ip())).isEqualTo(Optional.ofNullable(l.region()));
        // The JDK's own parser agrees on the address; the InetAddress lookup gives the same region.
        assertThat(REGIONS.regionOf(InetAddress.getByName(l.ip()))).isEqualTo(Optional.ofNullable(l.region()));
    }

    @Test
    void mappedAddressAsAnInet6AddressMatchesTheIpv4Entry() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        // InetAddress.getByAddress would turn these bytes into an Inet4Address; this keeps them IPv6.
        InetAddress v6 = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(v6).isInstanceOf(Inet6Address.class);
        assertThat(REGIONS.regionOf(v6)).contains("eu-south");
        assertThat(REGIONS.regionOf(InetAddress.getByAddress(mapped))).contains("eu-south");
    }

    @Test
    void aZoneNameIsIgnored() {
        // Not in the golden table: the JDK would look the interface name up on this machine.
        assertThat(REGIONS.regionOf("2001:db8:1:2::5%eth0")).contains("us-central");
        assertThat(REGIONS.regionOf("fe80::1%eth0")).isEmpty();
    }

    @Test
    void sizeCountsEntries() {
        assertThat(REGIONS.size()).isEqualTo(11);
    }

    @Test
    void emptyTablesMatchNothing() {
        for (String text : new String[] {"", "\n\n", "# nothing yet\n   \n\t# still nothing"}) {
            RegionTable t = RegionTable.parse(text);
            assertThat(t.size()).isZero();
            assertThat(t.regionOf("10.0.0.1")).isEmpty();
            assertThat(t.regionOf("2001:db8::1")).isEmpty();
        }
    }

    @Test
    void defaultRoutesAreSeparatePerFamily() {
        RegionTable t = RegionTable.parse("::/0 v6-default\n");
        assertThat(t.regionOf("2001:db8::1")).contains("v6-default");
        assertThat(t.regionOf("10.0.0.1")).isEmpty();
        assertThat(t.regionOf("::ffff:10.0.0.1")).isEmpty();
    }

    @Test
    void windowsLineEndingsAndTabsAreFine() {
        RegionTable t = RegionTable.parse("# regions\r\n10.0.0.0/8\teu-west\r\n\r\n2001:db8::/32 \t us-east\r\n");
        assertThat(t.regionOf("10.9.9.9")).contains("eu-west");
        assertThat(t.regionOf("2001:db8::9")).contains("us-east");
    }

    /** Golden errors: (table text, message fragments). Line numbers count comments and blank lines. */
    record Bad(String text, String... fragments) {}

    static Stream<Bad> errors() {
        String longRegion = "r".repeat(65);
        return Stream.of(
                new Bad("10.0.0.0/8", "line 1", "missing region"),
                new Bad("# regions\n\n10.0.0.0/8   # no region\n", "line 3", "missing region"),
                new Bad("10.0.0.0/8 eu west", "line 1", "expected 'CIDR region', found 3 fields"),
                new Bad("10.0.0/8 eu", "line 1", "bad CIDR '10.0.0/8'", "not an IPv4 or IPv6 address"),
                new Bad("10.0.0.256/32 eu", "bad CIDR"),
                new Bad("010.0.0.0/8 eu", "bad CIDR"),
                new Bad("10.0.0.0.0/8 eu", "bad CIDR"),
                new Bad("10..0.0/8 eu", "bad CIDR"),
                new Bad("example.com/8 eu", "bad CIDR"),
                new Bad("1:2:3:4:5:6:7:8:9/64 eu", "bad CIDR"),
                new Bad("1:2:3:4:5:6:7/64 eu", "bad CIDR"),
                new Bad("1::2::3/64 eu", "bad CIDR"),
                new Bad(":1::/64 eu", "bad CIDR"),
                new Bad("1:::/64 eu", "bad CIDR"),
                new Bad("12345::/16 eu", "bad CIDR"),
                new Bad("fe80::1%eth0/64 eu", "bad CIDR"),
                new Bad("2001:db8::1.2.3/64 eu", "bad CIDR"),
                new Bad("\uff11\uff10.0.0.0/8 eu", "bad CIDR"),
                new Bad("10.0.0.0 eu", "bad CIDR '10.0.0.0'", "missing /prefix-length"),
                new Bad("10.0.0.0/33 eu", "line 1", "bad prefix length '33'", "0 to 32 for IPv4"),
                new Bad("10.0.0.0/-1 eu", "bad prefix length '-1'"),
                new Bad("10.0.0.0/+8 eu", "bad prefix length '+8'"),
                new Bad("10.0.0.0/ eu", "bad prefix length ''"),
                new Bad("10.0.0.0/0008 eu", "bad prefix length '0008'"),
                new Bad("2001:db8::/129 eu", "bad prefix length '129'", "0 to 128 for IPv6"),
                new Bad("10.1.0.0/8 eu", "line 1", "bits set beyond the /8 prefix"),
                new Bad("2001:db8::1/64 eu", "bits set beyond the /64 prefix"),
                new Bad("10.0.0.0/8 EU-West", "line 1", "bad region 'EU-West'", "^[a-z0-9-]{1,64}$"),
                new Bad("10.0.0.0/8 eu_west", "bad region 'eu_west'"),
                new Bad("10.0.0.0/8 " + longRegion, "bad region '" + longRegion + "'"),
                new Bad("10.0.0.0/8 a\n10.0.0.0/8 b", "line 2", "duplicate prefix 10.0.0.0/8, already on line 1"),
                new Bad("172.16.0.0/12 a\n::ffff:172.16.0.0/108 b", "line 2", "already on line 1"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void badLinesAreRejectedWithTheLineAndTheReason(Bad bad) {
        assertThatThrownBy(() -> RegionTable.parse(bad.text())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("region table line ")
                .satisfies(e -> assertThat(e.getMessage()).contains(bad.fragments()));
    }

    @Test
    void lookupOfSomethingThatIsNotAnIpLiteralIsRejected() {
        for (String notIp : new String[] {"", "localhost", "10.0.0", "10.0.0.1%eth0", "[::1]", "1.2.3.4 "}) {
            assertThatThrownBy(() -> REGIONS.regionOf(notIp)).as(notIp).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not an IP address literal");
        }
    }
}
