package dev.cascade.manager.placement;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The region of a client from its IP address: the longest matching prefix of a table of
 * {@code CIDR region} lines ({@code placement.regionTable}).
 *
 * <p>Format, one entry per line (RFC 4632 section 3.1 prefix notation for IPv4, RFC 4291
 * section 2.3 for IPv6):
 * <pre>
 * # comment; blank lines are ignored, and so is anything after '#'
 * 10.0.0.0/8        eu-west
 * 10.1.0.0/16       eu-central     # the longest matching prefix wins
 * 2001:db8::/32     us-east
 * 0.0.0.0/0         eu-west        # IPv4 default; IPv6 needs its own ::/0
 * </pre>
 * A region matches {@code ^[a-z0-9-]{1,64}$}, as region names do everywhere in the API. The
 * parser is strict, because a typo here silently sends viewers to the wrong continent: an address
 * must be a literal (never resolved through DNS; IPv4 as four decimal parts without leading zeros,
 * since {@code 010} means 8 to some parsers and 10 to others), a prefix must have no bits set after
 * its length, and a prefix may appear only once.
 *
 * <p>IPv4 and IPv6 are separate tables. An IPv4-mapped IPv6 address ({@code ::ffff:10.1.2.3}, RFC
 * 4291 section 2.5.5.2, what a dual-stack socket reports for an IPv4 client) is looked up as the
 * IPv4 address it carries; likewise an entry written in mapped form with a prefix length of 96 or
 * more is stored as the IPv4 prefix it denotes.
 *
 * <p>Lookup is one hash probe per distinct prefix length present in the table, longest first
 * (at most 33 for IPv4, 129 for IPv6; a region table typically has a handful). Waldvogel et al.
 * ("Scalable High Speed IP Routing Lookups", SIGCOMM 1997) binary-search the lengths instead, at
 * the price of marker entries; with this few lengths the linear scan is as fast and simpler.
 * Immutable and thread-safe.
 */
public final class RegionTable {

    private static final Pattern REGION = Pattern.compile("[a-z0-9-]{1,64}");

    private final PrefixSet v4;
    private final PrefixSet v6;
    private final int size;

    private RegionTable(PrefixSet v4, PrefixSet v6, int size) {
        this.v4 = v4;
        this.v6 = v6;
        this.size = size;
    }

    /**
     * Parses the table text.
     *
     * @throws IllegalArgumentException naming the line and what is wrong with it
     */
    public static RegionTable parse(String text) {
        Objects.requireNonNull(text, "text");
        Map<Prefix, Integer> lineOf = new HashMap<>();
        Map<Prefix, String> v4 = new HashMap<>();
        Map<Prefix, String> v6 = new HashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String raw = lines.get(i);
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length == 1) {
                throw error(lineNo, "missing region after '" + fields[0] + "' (expected 'CIDR region')");
            }
            if (fields.length > 2) {
                throw error(lineNo, "expected 'CIDR region', found " + fields.length + " fields");
            }
            Prefix p = parseCidr(lineNo, fields[0]);
            String region = fields[1];
            if (!REGION.matcher(region).matches()) {
                throw error(lineNo, "bad region '" + region + "': must match ^[a-z0-9-]{1,64}$");
            }
            Integer earlier = lineOf.putIfAbsent(p, lineNo);
            if (earlier != null) {
                throw error(lineNo, "duplicate prefix " + fields[0] + ", already on line " + earlier);
            }
            (p.v6 ? v6 : v4).put(p, region);
        }
        return new RegionTable(new PrefixSet(v4, 32), new PrefixSet(v6, 128), v4.size() + v6.size());
    }

    /** The region of {@code address}, if a prefix of the table covers it. */
    public Optional<String> regionOf(InetAddress address) {
        Objects.requireNonNull(address, "address");
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return Optional.ofNullable(v4.lookup(v4Hi(b, 0), 0));
        }
        if (address instanceof Inet6Address && isV4Mapped(b)) {
            return Optional.ofNullable(v4.lookup(v4Hi(b, 12), 0));
        }
        return Optional.ofNullable(v6.lookup(longAt(b, 0), longAt(b, 8)));
    }

    /**
     * The region of an IP literal (as {@code SocketAddress.host()} gives it; an IPv6 zone such as
     * {@code %eth0} is ignored). Never consults DNS.
     *
     * @throws IllegalArgumentException if {@code ip} is not an IPv4 or IPv6 literal
     */
    public Optional<String> regionOf(String ip) {
        Objects.requireNonNull(ip, "ip");
        String literal = ip;
        int zone = ip.indexOf('%');
        if (zone >= 0 && ip.indexOf(':') >= 0) {
            literal = ip.substring(0, zone);
        }
        long[] a = Ip.parse(literal);
        if (a == null) {
            throw new IllegalArgumentException("not an IP address literal: '" + ip + "'");
        }
        return Optional.ofNullable(a.length == 1 ? v4.lookup(a[0], 0) : v6.lookup(a[0], a[1]));
    }

    /** Number of entries. */
    public int size() {
        return size;
    }

    @Override
    public String toString() {
        return "RegionTable[" + size + " entries]";
    }

    private static Prefix parseCidr(int lineNo, String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw error(lineNo, "bad CIDR '" + cidr + "': missing /prefix-length");
        }
        String addr = cidr.substring(0, slash);
        String len = cidr.substring(slash + 1);
        long[] a = Ip.parseAsWritten(addr);
        if (a == null) {
            throw error(lineNo, "bad CIDR '" + cidr + "': '" + addr + "' is not an IPv4 or IPv6 address");
        }
        boolean v6 = a.length == 2;
        int max = v6 ? 128 : 32;
        if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')
                || Integer.parseInt(len) > max) {
            throw error(lineNo, "bad prefix length '" + len + "' in '" + cidr + "': must be 0 to " + max
                    + " for " + (v6 ? "IPv6" : "IPv4"));
        }
        int bits = Integer.parseInt(len);
        long hi = a[0];
        long lo = v6 ? a[1] : 0;
        if ((hi & ~hiMask(bits)) != 0 || (lo & ~loMask(bits)) != 0) {
            throw error(lineNo, "bad CIDR '" + cidr + "': address has bits set beyond the /" + bits + " prefix");
        }
        if (v6 && bits >= 96 && isV4MappedPrefix(hi, lo)) {
            return new Prefix(false, lo << 32, 0, bits - 96);
        }
        return new Prefix(v6, hi, lo, bits);
    }

    private static IllegalArgumentException error(int lineNo, String what) {
        return new IllegalArgumentException("region table line " + lineNo + ": " + what);
    }

    /** ::ffff:0:0/96: the upper 80 bits zero, the next 16 ones. */
    private static boolean isV4MappedPrefix(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xffffL;
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** Four bytes from {@code at} as the upper 32 bits of a long (IPv4 addresses are left-aligned). */
    private static long v4Hi(byte[] b, int at) {
        return (longAt4(b, at)) << 32;
    }

    private static long longAt4(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    private static long longAt(byte[] b, int at) {
        return (longAt4(b, at) << 32) | longAt4(b, at + 4);
    }

    /** Mask of the upper 64 bits of a left-aligned 128-bit address for a prefix of {@code bits}. */
    static long hiMask(int bits) {
        return bits == 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    /** Mask of the lower 64 bits of a left-aligned 128-bit address for a prefix of {@code bits}. */
    static long loMask(int bits) {
        return bits <= 64 ? 0 : -1L << (128 - bits);
    }

    /** A table entry. Addresses are left-aligned in 128 bits: IPv4 {@code a.b.c.d} is {@code hi = abcd << 32, lo = 0}. */
    private record Prefix(boolean v6, long hi, long lo, int bits) {}

    /** The prefixes of one address family, one open-addressing hash table per prefix length. */
    private static final class PrefixSet {
        /** Prefix lengths present, longest first. */
        private final int[] lengths;
        private final Table[] byLength;

        PrefixSet(Map<Prefix, String> prefixes, int maxBits) {
            byLength = new Table[maxBits + 1];
            int[] counts = new int[maxBits + 1];
            for (Prefix p : prefixes.keySet()) {
                counts[p.bits]++;
            }
            int distinct = 0;
            for (int bits = maxBits; bits >= 0; bits--) {
                if (counts[bits] > 0) {
                    byLength[bits] = new Table(counts[bits]);
                    distinct++;
                }
            }
            lengths = new int[distinct];
            int k = 0;
            for (int bits = maxBits; bits >= 0; bits--) {
                if (counts[bits] > 0) {
                    lengths[k++] = bits;
                }
            }
            prefixes.forEach((p, region) -> byLength[p.bits].put(p.hi, p.lo, region));
        }

        String lookup(long hi, long lo) {
            for (int bits : lengths) {
                String region = byLength[bits].get(hi & hiMask(bits), lo & loMask(bits));
                if (region != null) {
                    return region;
                }
            }
            return null;
        }
    }

    /**
     * A map from 128-bit keys to regions, open addressing with linear probing at most half full:
     * primitive keys, so a lookup neither boxes nor allocates.
     */
    private static final class Table {
        private final long[] his;
        private final long[] los;
        private final String[] regions;
        private final int mask;

        Table(int entries) {
            int capacity = Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
            his = new long[capacity];
            los = new long[capacity];
            regions = new String[capacity];
            mask = capacity - 1;
        }

        void put(long hi, long lo, String region) {
            int i = slot(hi, lo);
            while (regions[i] != null) {
                i = (i + 1) & mask;
            }
            his[i] = hi;
            los[i] = lo;
            regions[i] = region;
        }

        String get(long hi, long lo) {
            for (int i = slot(hi, lo); regions[i] != null; i = (i + 1) & mask) {
                if (his[i] == hi && los[i] == lo) {
                    return regions[i];
                }
            }
            return null;
        }

        private int slot(long hi, long lo) {
            return (int) Hash64.fmix64(hi ^ Hash64.fmix64(lo)) & mask;
        }
    }

    /** Strict IP literal parsing, without DNS (unlike {@code InetAddress.getByName}). */
    static final class Ip {
        private Ip() {}

        /**
         * {@code {hi}} for IPv4 (left-aligned), {@code {hi, lo}} for IPv6, the IPv4 form for an
         * IPv4-mapped IPv6 address; null if {@code s} is neither.
         */
        static long[] parse(String s) {
            long[] a = parseAsWritten(s);
            if (a != null && a.length == 2 && isV4MappedPrefix(a[0], a[1])) {
                return new long[] {a[1] << 32};
            }
            return a;
        }

        /** Like {@link #parse} but an IPv4-mapped address stays IPv6 (a table entry's prefix length counts its 128 bits). */
        static long[] parseAsWritten(String s) {
            if (s.indexOf(':') < 0) {
                long v4 = parseV4(s, 0, s.length());
                return v4 < 0 ? null : new long[] {v4 << 32};
            }
            return parseV6(s);
        }

        /** Dotted quad {@code s[from, to)} as an unsigned 32-bit value, or -1. */
        static long parseV4(String s, int from, int to) {
            long value = 0;
            int parts = 0;
            int i = from;
            while (true) {
                int start = i;
                int part = 0;
                while (i < to && i - start < 4 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    part = part * 10 + (s.charAt(i) - '0');
                    i++;
                }
                int digits = i - start;
                if (digits == 0 || digits > 3 || part > 255 || (digits > 1 && s.charAt(start) == '0')) {
                    return -1;
                }
                value = (value << 8) | part;
                parts++;
                if (i == to) {
                    return parts == 4 ? value : -1;
                }
                if (s.charAt(i) != '.' || parts == 4) {
                    return -1;
                }
                i++;
            }
        }

        /** RFC 4291 section 2.2 text form (no zone) as {hi, lo}, or null. */
        static long[] parseV6(String s) {
            int gap = s.indexOf("::");
            if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
                return null;
            }
            int[] head = groups(gap >= 0 ? s.substring(0, gap) : s, gap < 0);
            int[] tail = gap >= 0 ? groups(s.substring(gap + 2), true) : new int[0];
            if (head == null || tail == null) {
                return null;
            }
            int n = head.length + tail.length;
            if (gap < 0 ? n != 8 : n > 7) {
                return null;
            }
            int[] all = new int[8];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(tail, 0, all, 8 - tail.length, tail.length);
            long hi = 0;
            long lo = 0;
            for (int g = 0; g < 4; g++) {
                hi = (hi << 16) | all[g];
                lo = (lo << 16) | all[g + 4];
            }
            return new long[] {hi, lo};
        }

        /**
         * The 16-bit groups of a colon-separated run (empty run: none); the last may be a dotted
         * IPv4 address (two groups) when {@code lastMayBeV4}. Null if malformed.
         */
        private static int[] groups(String run, boolean lastMayBeV4) {
            if (run.isEmpty()) {
                return new int[0];
            }
            String[] parts = run.split(":", -1);
            int[] out = new int[parts.length + 1];
            int n = 0;
            for (int p = 0; p < parts.length; p++) {
                String part = parts[p];
                if (p == parts.length - 1 && lastMayBeV4 && part.indexOf('.') >= 0) {
                    long v4 = parseV4(part, 0, part.length());
                    if (v4 < 0) {
                        return null;
                    }
                    out[n++] = (int) (v4 >>> 16);
                    out[n++] = (int) (v4 & 0xffff);
                    continue;
                }
                if (part.isEmpty() || part.length() > 4) {
                    return null;
                }
                int value = 0;
                for (int i = 0; i < part.length(); i++) {
                    int d = hexDigit(part.charAt(i));
                    if (d < 0) {
                        return null;
                    }
                    value = (value << 4) | d;
                }
                out[n++] = value;
            }
            return Arrays.copyOf(out, n);
        }

        /** ASCII hex digits only (Character.digit would also take other scripts' digits). */
        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }
    }
}
