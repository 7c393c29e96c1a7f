package dev.cascade.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A viewer behind a link a test controls: a network namespace joined to the host by a veth pair,
 * whose host-to-namespace direction (the edge-to-viewer direction) {@link #limit(int)} can squeeze
 * with a token bucket ({@code tc qdisc ... tbf}; this kernel has no netem, and a rate limit is what
 * ABR reacts to anyway).
 *
 * <pre>
 *   host                                     namespace cascade-{pid}-{X}
 *   edge on 0.0.0.0 / 10.77.X.1  ── cv{pid}h{X} ══ veth ══ eth0 ──  10.77.X.2, lo up,
 *                                   (tbf here: egress = toward      default route via 10.77.X.1
 *                                    the namespace)                 Chromium: ip netns exec NAME node watch.mjs
 * </pre>
 *
 * <p>What a test must set so Chromium in the namespace plays from an edge on the host:
 * <ul>
 *   <li>the edge's HTTP port (the {@code /watch} page, WHEP, its event stream) and its WebRTC (UDP)
 *       port bound on {@code 0.0.0.0} or on {@link #hostAddress()}: the namespace cannot reach the
 *       host's {@code 127.0.0.1};
 *   <li>the edge's ICE candidate address (the one its SDP answer advertises) set to
 *       {@link #hostAddress()}: the browser sends its connectivity checks there, and the ICE-lite edge
 *       answers wherever they came from (10.77.X.2);
 *   <li>the player URL on that address: {@code http://{hostAddress()}:{httpPort}/watch/app/name};
 *   <li>the browser started through {@link #prefix()}, e.g.
 *       {@code Chromium.watch(ns.prefix(), url, seconds, out, log)}.
 * </ul>
 * Nothing else (stream manager, origin, relay) needs to know: only the edge-to-viewer hop crosses the
 * veth. The namespace has a default route via the host so Chromium finds a "default local address"
 * (without one, WebRTC gathers no host candidate); packets to anywhere else go nowhere.
 *
 * <p>Needs root and iproute2's {@code ip} and {@code tc}; {@link #create()} skips the calling test
 * (a JUnit assumption naming what is missing) without them, or when the kernel refuses a namespace.
 * Namespaces named {@code cascade-*} that a process no longer alive left behind (a crashed or killed
 * run) are deleted at each {@link #create()}; {@link #close()} deletes the link and the namespace, is
 * safe to call twice, and also runs at JVM exit if a test forgot.
 */
public final class NetNs implements AutoCloseable {
    /** Every namespace this helper creates is named {@code cascade-{pid}-{X}}. */
    public static final String NAME_PREFIX = "cascade-";
    /** The {@code tbf} queue bound, in ms of the limited rate: see {@link #limit(int)}. */
    public static final int DEFAULT_LATENCY_MS = 200;
    /** The namespace side of the veth, inside the namespace. */
    public static final String NS_INTERFACE = "eth0";
    private static final Pattern STALE_NAME = Pattern.compile("cascade-(\\d+)-.*");
    /** A host-side veth in {@code ip -o link show}: "12: cv4242h3@if2: <...>". */
    private static final Pattern HOST_LINK = Pattern.compile("(?m)^\\d+:\\s+(cv(\\d+)h\\d+)[@:]");
    private static final Pattern SUBNET_IN_USE = Pattern.compile("\\b10\\.77\\.(\\d{1,3})\\.");
    private static final Path LOCK = Path.of(System.getProperty("java.io.tmpdir"), "cascade-netns.lock");
    private static final Object JVM_LOCK = new Object();
    private static final long COMMAND_TIMEOUT_S = 20;

    private final String ip;
    private final String tc;
    private final String name;
    private final String hostInterface;
    private final int subnet;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread onExit;

    private NetNs(String ip, String tc, String name, String hostInterface, int subnet) {
        this.ip = ip;
        this.tc = tc;
        this.name = name;
        this.hostInterface = hostInterface;
        this.subnet = subnet;
        this.onExit = new Thread(this::closeQuietly, "netns-" + name + "-cleanup");
    }

    /**
     * What this machine lacks for a namespace: "not root", "ip", "tc" (iproute2), or empty when
     * nothing is missing (the kernel may still refuse; {@link #create()} tells).
     */
    public static Optional<String> missing() {
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("root (network namespaces, veth and tc need CAP_NET_ADMIN and CAP_SYS_ADMIN)");
        }
        for (String tool : List.of("ip", "tc")) {
            if (which(tool) == null) {
                missing.add("'" + tool + "' (Debian package iproute2: apt-get install iproute2)");
            }
        }
        return missing.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", missing));
    }

    /**
     * Creates a namespace with a unique name and a /30 of 10.77.0.0/16 no interface or route of this
     * host uses yet, after deleting what dead runs left. Skips the calling test (JUnit assumption)
     * when {@link #missing()} says something is missing or the kernel refuses a namespace.
     */
    public static NetNs create() throws IOException, InterruptedException {
        Optional<String> missing = missing();
        Assumptions.assumeTrue(missing.isEmpty(),
                () -> "NetNs (a viewer behind a limited link) needs root and iproute2's ip and tc; missing: " + missing.get());
        String ip = which("ip");
        String tc = which("tc");
        long pid = ProcessHandle.current().pid();
        // One creation at a time, across JVMs too (a subnet is picked, then taken).
        synchronized (JVM_LOCK) {
            try (FileChannel ch = FileChannel.open(LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                removeStale(ip);
                int x = freeSubnet(ip);
                String name = NAME_PREFIX + pid + "-" + x;
                String host = "cv" + pid + "h" + x;  // at most 2 + 7 + 1 + 3 = 13 characters (IFNAMSIZ 16)
                Result add = run(List.of(ip, "netns", "add", name));
                if (add.exit != 0) {
                    Assumptions.assumeFalse(add.out.contains("Operation not permitted") || add.out.contains("Permission denied"),
                            () -> "NetNs: the kernel refuses a network namespace here (" + add.out.strip() + ")");
                    throw new IOException("ip netns add " + name + " failed (" + add.exit + "): " + add.out.strip());
                }
                NetNs ns = new NetNs(ip, tc, name, host, x);
                try {
                    // Both ends at once, the peer born in the namespace: no half-made pair is ever left on the host.
                    ns.must(ip, "link", "add", host, "type", "veth", "peer", "name", NS_INTERFACE, "netns", name);
                    ns.must(ip, "addr", "add", ns.hostAddress() + "/30", "dev", host);
                    ns.must(ip, "link", "set", host, "up");
                    ns.must(ip, "-n", name, "link", "set", "lo", "up");
                    ns.must(ip, "-n", name, "addr", "add", ns.nsAddress() + "/30", "dev", NS_INTERFACE);
                    ns.must(ip, "-n", name, "link", "set", NS_INTERFACE, "up");
                    ns.must(ip, "-n", name, "route", "add", "default", "via", ns.hostAddress());
                } catch (IOException | RuntimeException e) {
                    ns.closeQuietly();
                    throw e;
                }
                Runtime.getRuntime().addShutdownHook(ns.onExit);
                return ns;
            }
        }
    }

    /** The namespace's name: {@code cascade-{pid}-{X}}. */
    public String name() {
        return name;
    }

    /** The host side of the veth (where {@link #limit(int)} puts its qdisc). */
    public String hostInterface() {
        return hostInterface;
    }

    /** {@code 10.77.X.1}: the host's address on the link; what the namespace reaches the edge at. */
    public String hostAddress() {
        return "10.77." + subnet + ".1";
    }

    /** {@code 10.77.X.2}: the namespace's address (its {@value #NS_INTERFACE}). */
    public String nsAddress() {
        return "10.77." + subnet + ".2";
    }

    /** {@code [ip, netns, exec, NAME]} ({@code ip} as an absolute path): put it in front of a command to run it inside. */
    public List<String> prefix() {
        return List.of(ip, "netns", "exec", name);
    }

    /**
     * Limits what the host sends into the namespace (the edge-to-viewer direction) to {@code kbit}
     * kbit/s, replacing any earlier limit: {@code tc qdisc replace dev HOST root tbf rate {kbit}kbit
     * burst B latency 200ms}. The reverse direction (the viewer's RTCP, REMB included) is not limited.
     *
     * <p>{@code burst} (the bucket) is 10 ms of the rate, at least 4096 bytes: it must hold a whole
     * 1514-byte frame (tbf drops outright any packet larger than its bucket), and it is kept small so
     * the link drains at a constant rate like a real bottleneck; a big bucket would let a keyframe's
     * packets through at line speed and hide the limit from the browser's delay-based estimator,
     * which is what makes it lower its REMB. {@code latency} 200 ms bounds the queue behind the bucket
     * (rate x 200 ms of bytes, beyond which tbf drops): a rate below what the edge sends shows first as
     * growing delay, then as loss, as on a congested access link; a much shorter queue would turn every
     * burst into loss at once, a much longer one into seconds of delay.
     */
    public void limit(int kbit) throws IOException, InterruptedException {
        limit(kbit, DEFAULT_LATENCY_MS);
    }

    /** {@link #limit(int)} with another queue bound. */
    public void limit(int kbit, int latencyMs) throws IOException, InterruptedException {
        if (kbit <= 0 || latencyMs <= 0) {
            throw new IllegalArgumentException("rate and latency must be positive: " + kbit + " kbit/s, " + latencyMs + " ms");
        }
        long burstBytes = Math.max(4096, kbit * 1000L / 8 / 100);
        must(tc, "qdisc", "replace", "dev", hostInterface, "root", "tbf", "rate", kbit + "kbit",
                "burst", Long.toString(burstBytes), "latency", latencyMs + "ms");
    }

    /**
     * Removes the limit (the interface's default qdisc again); nothing happens when there is none.
     *
     * <p>As a link that got better, not one that was cut: the rate goes up first ({@code tc qdisc
     * change}, which keeps tbf's queue), so what is queued goes out, and only then is the qdisc
     * deleted. Deleting it at once would drop the queue, up to 200 ms of media, a loss no real link
     * shows when it improves (the browser saw it as a freeze just as the test began timing the climb).
     */
    public void lift() throws IOException, InterruptedException {
        if (qdisc().contains("tbf")) {
            must(tc, "qdisc", "change", "dev", hostInterface, "root", "tbf", "rate", "1gbit",
                    "burst", "1mb", "latency", DEFAULT_LATENCY_MS + "ms");
            Thread.sleep(50); // the queue drains at 1 Gbit/s in well under a millisecond
            must(tc, "qdisc", "del", "dev", hostInterface, "root");
        }
    }

    /** {@code tc qdisc show dev HOST}: e.g. {@code qdisc tbf 8002: root refcnt 3 rate 800Kbit burst 4Kb lat 200ms}. */
    public String qdisc() throws IOException, InterruptedException {
        return must(tc, "qdisc", "show", "dev", hostInterface);
    }

    /**
     * Deletes the link (at once, which takes the namespace's end with it) and the namespace. Safe to
     * call twice. Throws if the namespace is still there afterwards.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // shutting down (this may be the hook itself), or never registered (creation failed)
        }
        if (run(List.of(ip, "link", "show", "dev", hostInterface)).exit == 0) {
            must(ip, "link", "del", "dev", hostInterface);
        }
        if (namespaces(ip).contains(name)) {
            must(ip, "netns", "del", name);
        }
    }

    @Override
    public String toString() {
        return name + " (" + hostInterface + " " + hostAddress() + " <-> " + NS_INTERFACE + " " + nsAddress() + ")";
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            System.err.println("NetNs: could not remove " + this + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String must(String... command) throws IOException, InterruptedException {
        Result r = run(List.of(command));
        if (r.exit != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exit + "): " + r.out.strip());
        }
        return r.out;
    }

    // --- the machine ---------------------------------------------------------------------------

    /** The namespaces of this host, by name. */
    static Set<String> namespaces(String ip) throws IOException, InterruptedException {
        Set<String> names = new TreeSet<>();
        Result r = run(List.of(ip, "netns", "list"));
        for (String line : r.out.split("\n")) {
            String n = line.strip().split("\\s+")[0];   // "cascade-12-3 (id: 0)"
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return names;
    }

    /**
     * Deletes every cascade-* namespace whose creating process is gone (or whose name is not ours),
     * and the host ends of such runs' links (left while a process inside a deleted namespace lives).
     */
    private static void removeStale(String ip) throws IOException, InterruptedException {
        for (String n : namespaces(ip)) {
            if (!n.startsWith(NAME_PREFIX)) {
                continue;
            }
            Matcher m = STALE_NAME.matcher(n);
            if (!m.matches() || !alive(m.group(1))) {
                Result r = run(List.of(ip, "netns", "del", n));
                System.err.println("NetNs: removed the stale namespace " + n + " of a run that is gone"
                        + (r.exit == 0 ? "" : " (failed: " + r.out.strip() + ")"));
            }
        }
        Matcher m = HOST_LINK.matcher(run(List.of(ip, "-o", "link", "show")).out);
        while (m.find()) {
            if (!alive(m.group(2))) {
                Result r = run(List.of(ip, "link", "del", "dev", m.group(1)));
                System.err.println("NetNs: removed the stale link " + m.group(1) + " of a run that is gone"
                        + (r.exit == 0 ? "" : " (failed: " + r.out.strip() + ")"));
            }
        }
    }

    private static boolean alive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The lowest X in 1..254 such that no address or route of the host is in 10.77.X.0/24. */
    private static int freeSubnet(String ip) throws IOException, InterruptedException {
        Set<Integer> used = new TreeSet<>();
        for (List<String> cmd : List.of(List.of(ip, "-o", "-4", "addr", "show"), List.of(ip, "-4", "route", "show", "table", "all"))) {
            Matcher m = SUBNET_IN_USE.matcher(run(cmd).out);
            while (m.find()) {
                used.add(Integer.parseInt(m.group(1)));
            }
        }
        for (int x = 1; x <= 254; x++) {
            if (!used.contains(x)) {
                return x;
            }
        }
        throw new IOException("no free /30 left in 10.77.0.0/16 (every 10.77.X is in use)");
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return "0".equals(line.substring(4).strip().split("\\s+")[1]);   // the effective uid
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return false;
    }

    /** The absolute path of {@code tool} on PATH or in the sbin directories (not always on a user's PATH). */
    static String which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, tool))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst().orElse(null);
    }

    record Result(int exit, String out) {}

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT_S + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
