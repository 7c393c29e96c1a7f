package dev.cascade.bench;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/** Free loopback ports, free for both UDP (SRT) and TCP (HTTP), never handed out twice in a run. */
final class Ports {
    private static final Set<Integer> GIVEN = new HashSet<>();

    private Ports() {}

    static synchronized int free() {
        for (int i = 0; i < 100; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            } catch (IOException e) {
                continue;
            }
            if (GIVEN.contains(port)) {
                continue;
            }
            try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                GIVEN.add(port);
                return port;
            } catch (IOException e) {
                // UDP side taken: try another
            }
        }
        throw new IllegalStateException("no free port");
    }
}
