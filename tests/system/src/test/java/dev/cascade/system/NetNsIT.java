package dev.cascade.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The test helper {@link NetNs} itself, with the real ip and tc: a namespace reaches the host over
 * its veth (UDP and TCP); {@code limit} puts a tbf on the host side that shapes the host-to-namespace
 * direction (a download from the host takes at least as long as the rate says) and {@code lift}
 * takes it off; {@code close} removes link and namespace, twice is harmless; namespaces of runs that
 * are gone are removed by the next creation. Skipped without root or iproute2.
 */
class NetNsIT {
    static final int BLOB_BYTES = 200_000;

    @BeforeEach
    void needsRootAndIproute2() {
        Assumptions.assumeTrue(NetNs.missing().isEmpty(), () -> "NetNs needs root and iproute2; missing: " + NetNs.missing().get());
    }

    @Test
    void theNamespaceReachesTheHostAndItsDownlinkCanBeLimited() throws Exception {
        NetNs ns = NetNs.create();
        String ip = NetNs.which("ip");
        try (ns) {
            assertThat(ns.name()).startsWith(NetNs.NAME_PREFIX);
            assertThat(NetNs.namespaces(ip)).contains(ns.name());
            assertThat(ns.prefix()).containsExactly(ip, "netns", "exec", ns.name());
            assertThat(NetNs.run(List.of(ip, "-n", ns.name(), "-o", "-4", "addr", "show")).out())
                    .contains("127.0.0.1/8").contains(NetNs.NS_INTERFACE).contains(ns.nsAddress() + "/30");
            assertThat(NetNs.run(List.of(ip, "-o", "-4", "addr", "show", "dev", ns.hostInterface())).out())
                    .contains(ns.hostAddress() + "/30");

            // A datagram from inside reaches a socket bound on the host's address, from the namespace's.
            try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ns.hostAddress()), 0))) {
                socket.setSoTimeout(10_000);
                Process send = inside(ns, "printf hello-from-the-namespace >/dev/udp/" + ns.hostAddress() + "/" + socket.getLocalPort());
                assertThat(send.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(send.exitValue()).as(output(send)).isZero();
                DatagramPacket packet = new DatagramPacket(new byte[256], 256);
                socket.receive(packet);
                assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII)).isEqualTo("hello-from-the-namespace");
                assertThat(packet.getAddress().getHostAddress()).isEqualTo(ns.nsAddress());
            }

            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(ns.hostAddress()), 0), 0);
            byte[] blob = new byte[BLOB_BYTES];
            http.createContext("/blob", ex -> {
                ex.sendResponseHeaders(200, blob.length);
                try (var body = ex.getResponseBody()) {
                    body.write(blob);
                }
            });
            http.start();
            try {
                String url = ns.hostAddress() + "/" + http.getAddress().getPort();
                assertThat(download(ns, url).bytes).isGreaterThanOrEqualTo(BLOB_BYTES);

                ns.limit(800);
                assertThat(ns.qdisc()).contains("tbf").contains("rate 800Kbit").contains("lat 200ms");
                ns.limit(800);   // replaces, does not fail
                // 200 kB at 800 kbit/s is 2 s (less the 4 kB bucket): the host-to-namespace direction is shaped.
                Download slow = download(ns, url);
                assertThat(slow.bytes).isGreaterThanOrEqualTo(BLOB_BYTES);
                assertThat(slow.millis).as("a 200 kB download at 800 kbit/s").isGreaterThanOrEqualTo(1_500);

                ns.limit(4000, 100);
                assertThat(ns.qdisc()).contains("rate 4Mbit").contains("lat 100ms");

                ns.lift();
                assertThat(ns.qdisc()).doesNotContain("tbf");
                ns.lift();       // nothing to lift: harmless
                assertThat(download(ns, url).bytes).isGreaterThanOrEqualTo(BLOB_BYTES);
            } finally {
                http.stop(0);
            }
        }
        assertThat(NetNs.namespaces(ip)).doesNotContain(ns.name());
        assertThat(NetNs.run(List.of(ip, "link", "show", "dev", ns.hostInterface())).exit()).isNotZero();
        ns.close();   // twice: harmless
    }

    @Test
    void namespacesOfRunsThatAreGoneAreRemovedAtCreation() throws Exception {
        String ip = NetNs.which("ip");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long deadPid = gone.pid();
        Assumptions.assumeFalse(ProcessHandle.of(deadPid).isPresent(), "pid " + deadPid + " was reused already");
        String stale = NetNs.NAME_PREFIX + deadPid + "-0";
        String strange = NetNs.NAME_PREFIX + "not-a-run";
        for (String n : List.of(stale, strange)) {
            assertThat(NetNs.run(List.of(ip, "netns", "add", n)).exit()).isZero();
        }
        try (NetNs ns = NetNs.create()) {
            assertThat(NetNs.namespaces(ip)).doesNotContain(stale, strange).contains(ns.name());
            try (NetNs other = NetNs.create()) {
                assertThat(NetNs.namespaces(ip)).as("a live run's namespace stays").contains(ns.name(), other.name());
                assertThat(other.hostAddress()).isNotEqualTo(ns.hostAddress());
            }
        } finally {
            for (String n : List.of(stale, strange)) {
                NetNs.run(List.of(ip, "netns", "del", n));
            }
        }
    }

    record Download(long bytes, long millis) {}

    /** GETs /blob from inside the namespace (bash's /dev/tcp): bytes received (headers too) and how long it took. */
    static Download download(NetNs ns, String hostSlashPort) throws Exception {
        long t0 = System.nanoTime();
        Process p = inside(ns, "exec 3<>/dev/tcp/" + hostSlashPort
                + " && printf 'GET /blob HTTP/1.1\\r\\nHost: h\\r\\nConnection: close\\r\\n\\r\\n' >&3 && cat <&3 | wc -c");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long millis = (System.nanoTime() - t0) / 1_000_000;
        String out = output(p);
        assertThat(p.exitValue()).as(out).isZero();
        return new Download(Long.parseLong(out.strip()), millis);
    }

    static Process inside(NetNs ns, String script) throws Exception {
        List<String> command = new ArrayList<>(ns.prefix());
        command.addAll(List.of("bash", "-c", script));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    static String output(Process p) throws Exception {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
