package dev.cascade.node.it;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free ports on loopback for both UDP (SRT) and TCP (HTTP). */
public final class Ports {
    private Ports() {}

    public static int free() {
        for (int i = 0; i < 50; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            } catch (IOException e) {
                continue;
            }
            try (DatagramSocket d = new DatagramSocket(port)) {
                return port;
            } catch (IOException e) {
                // UDP side taken: try another
            }
        }
        throw new IllegalStateException("no free port");
    }
}
