package dev.cascade.manager.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RegionTableProperties {

    /** A prefix of a 32- or 128-bit address space, as an unsigned integer and a length. */
    record Cidr(boolean v6, BigInteger network, int bits) {
        int width() {
            return v6 ? 128 : 32;
        }

        boolean contains(boolean addrV6, BigInteger addr) {
            return addrV6 == v6 && addr.shiftRight(width() - bits).equals(network.shiftRight(width() - bits));
        }

        String text() {
            return format(v6, network) + "/" + bits;
        }
    }

    /**
     * Against a brute-force reference (scan every entry, keep the longest that contains the address),
     * for random tables of IPv4 and IPv6 prefixes and addresses drawn both near the prefixes and
     * anywhere; through both the String and the InetAddress lookups.
     */
    @Property(tries = 300)
    void lookupIsTheLongestMatchingPrefix(@ForAll("tables") List<Cidr> cidrs,
                                          @ForAll @Size(max = 30) List<@IntRange(max = 1_000_000) Integer> picks,
                                          @ForAll("addresses") List<byte[]> anywhere) throws Exception {
        Map<Cidr, String> entries = new LinkedHashMap<>();
        for (Cidr c : cidrs) {
            entries.putIfAbsent(c, "r" + entries.size());
        }
        StringBuilder text = new StringBuilder("# random table\n");
        entries.forEach((c, region) -> text.append(c.text()).append(' ').append(region).append('\n'));
        RegionTable table = RegionTable.parse(text.toString());
        assertThat(table.size()).isEqualTo(entries.size());

        List<byte[]> probes = new ArrayList<>(anywhere);
        List<Cidr> keys = new ArrayList<>(entries.keySet());
        for (int pick : picks) {
            if (!keys.isEmpty()) {
                // An address inside an entry: its network with the host bits filled from the pick.
                Cidr c = keys.get(pick % keys.size());
                BigInteger host = BigInteger.valueOf(pick).multiply(BigInteger.valueOf(2_654_435_761L))
                        .mod(BigInteger.ONE.shiftLeft(c.width() - c.bits()));
                probes.add(bytes(c.v6(), c.network().or(host)));
            }
        }
        for (byte[] probe : probes) {
            boolean v6 = probe.length == 16;
            BigInteger addr = new BigInteger(1, probe);
            Cidr best = null;
            for (Cidr c : keys) {
                if (c.contains(v6, addr) && (best == null || c.bits() > best.bits())) {
                    best = c;
                }
            }
            Optional<String> expected = Optional.ofNullable(best == null ? null : entries.get(best));
            InetAddress inet = InetAddress.getByAddress(probe);
            if (inet instanceof Inet4Address && v6) {
                // The JDK unwrapped an IPv4-mapped address; the table looks it up as IPv4 as well.
                continue;
            }
            assertThat(table.regionOf(inet)).as(inet.toString()).isEqualTo(expected);
            assertThat(table.regionOf(format(v6, addr))).isEqualTo(expected);
        }
    }

    /** Our strict parser and the JDK's agree on every way of writing an IPv6 address. */
    @Property(tries = 2000)
    void ipv6TextFormsParseLikeTheJdk(@ForAll("ipv6Texts") String text) throws Exception {
        byte[] jdk = InetAddress.getByName(text).getAddress();
        long[] ours = RegionTable.Ip.parse(text);
        assertThat(ours).isNotNull();
        if (jdk.length == 4) {
            assertThat(ours).containsExactly((new BigInteger(1, jdk).longValue()) << 32);
        } else {
            BigInteger v = new BigInteger(1, jdk);
            assertThat(ours).containsExactly(v.shiftRight(64).longValue(), v.longValue());
        }
    }

    @Provide
    Arbitrary<List<Cidr>> tables() {
        Arbitrary<Cidr> v4 = Combinators.combine(Arbitraries.integers().between(0, 32), Arbitraries.longs()
                .between(0, 0xffffffffL)).as((bits, a) -> cidr(false, BigInteger.valueOf(a), bits));
        // IPv6 near a few bases, so that prefixes nest and overlap.
        Arbitrary<BigInteger> v6Base = Arbitraries.of(new BigInteger("20010db8000000000000000000000000", 16),
                new BigInteger("20010db8000100020000000000000000", 16), BigInteger.ZERO);
        Arbitrary<Cidr> v6 = Combinators.combine(Arbitraries.integers().between(0, 128), v6Base,
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(80)))
                .as((bits, base, noise) -> cidr(true, base.add(noise), bits));
        // Short IPv4 prefixes near one base too.
        Arbitrary<Cidr> v4Near = Combinators.combine(Arbitraries.integers().between(8, 32),
                Arbitraries.longs().between(0, 0xffff)).as((bits, a) -> cidr(false, BigInteger.valueOf(0x0a010000L + a), bits));
        return Arbitraries.oneOf(v4, v6, v4Near).list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<byte[]>> addresses() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
                Arbitraries.bytes().array(byte[].class).ofSize(16)).list().ofMaxSize(10);
    }

    /** Random addresses written every legal way: zero runs compressed or not, any case, leading zeros, embedded IPv4. */
    @Provide
    Arbitrary<String> ipv6Texts() {
        Arbitrary<int[]> groups = Arbitraries.oneOf(Arbitraries.integers().between(0, 0xffff),
                Arbitraries.just(0), Arbitraries.just(0)).list().ofSize(8)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
        return Combinators.combine(groups, Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 8),
                Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((g, from, len, upper, padded, dotted, mapped) -> {
                    if (mapped) {
                        System.arraycopy(new int[] {0, 0, 0, 0, 0, 0xffff}, 0, g, 0, 6);
                    }
                    int end = Math.min(8, from + len);
                    boolean compress = len > 0 && allZero(g, from, end) && !(dotted && end > 6);
                    int last = dotted ? 6 : 8;
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < last; i++) {
                        if (compress && i == from) {
                            sb.append("::");
                            i = end - 1;
                            continue;
                        }
                        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                            sb.append(':');
                        }
                        String h = Integer.toHexString(g[i]);
                        sb.append(padded ? "0".repeat(4 - h.length()) + h : h);
                    }
                    if (dotted) {
                        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                            sb.append(':');
                        }
                        sb.append(g[6] >>> 8).append('.').append(g[6] & 0xff).append('.')
                                .append(g[7] >>> 8).append('.').append(g[7] & 0xff);
                    }
                    String s = sb.toString();
                    return upper ? s.toUpperCase() : s;
                });
    }

    private static boolean allZero(int[] g, int from, int to) {
        for (int i = from; i < to; i++) {
            if (g[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Cidr cidr(boolean v6, BigInteger addr, int bits) {
        int width = v6 ? 128 : 32;
        BigInteger network = addr.shiftRight(width - bits).shiftLeft(width - bits);
        return new Cidr(v6, network, bits);
    }

    static byte[] bytes(boolean v6, BigInteger value) {
        byte[] out = new byte[v6 ? 16 : 4];
        byte[] raw = value.toByteArray();
        int n = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - n, out, out.length - n, n);
        return out;
    }

    static String format(boolean v6, BigInteger value) {
        byte[] b = bytes(v6, value);
        if (!v6) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)));
        }
        return sb.toString();
    }
}
