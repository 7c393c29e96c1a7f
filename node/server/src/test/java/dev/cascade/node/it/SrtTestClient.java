package dev.cascade.node.it;

import dev.cascade.node.srt.Srt;
import dev.cascade.node.srt.SrtConstants;
import dev.cascade.node.srt.SrtException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real libsrt caller for tests (blocking mode, its own thread for receiving): connects with a
 * stream ID, reports the reject code on refusal, counts what it receives, sends what it is given.
 */
public final class SrtTestClient implements AutoCloseable {
    public final int socket;
    public final AtomicLong bytesReceived = new AtomicLong();
    public final AtomicBoolean broken = new AtomicBoolean();
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1500);
    private final long address = Srt.address(buf);
    private final ByteBuffer sendBuf = ByteBuffer.allocateDirect(1500);
    private final long sendAddress = Srt.address(sendBuf);
    private Thread reader;

    private SrtTestClient(int socket) {
        this.socket = socket;
    }

    /** Connects, or throws {@link SrtException} whose {@code rejectReason()} is the server's code. */
    public static SrtTestClient connect(int port, String streamId) {
        return connect(port, streamId, 120);
    }

    public static SrtTestClient connect(int port, String streamId, int latencyMs) {
        Srt.startup();
        int s = Srt.createSocket();
        Srt.configureLive(s, latencyMs, 5000);
        Srt.setInt(s, SrtConstants.SRTO_RCVSYN, 1);
        Srt.setInt(s, SrtConstants.SRTO_SNDSYN, 1);
        Srt.setInt(s, SrtConstants.SRTO_CONNTIMEO, 3000);
        if (streamId != null) {
            Srt.setString(s, SrtConstants.SRTO_STREAMID, streamId);
        }
        try {
            Srt.connect(s, new InetSocketAddress("127.0.0.1", port));
        } catch (SrtException e) {
            Srt.close(s);
            throw e;
        }
        return new SrtTestClient(s);
    }

    /** The reject code a connection attempt gets, or 0 if it was accepted (and then closed). */
    public static int rejectCodeOf(int port, String streamId) {
        try (SrtTestClient c = connect(port, streamId)) {
            return 0;
        } catch (SrtException e) {
            return e.rejectReason();
        }
    }

    /** Starts counting received bytes on a background thread until the connection breaks. */
    public SrtTestClient startReading() {
        reader = new Thread(() -> {
            while (true) {
                int n = Srt.recv(socket, address, 1500);
                if (n < 0) {
                    broken.set(true);
                    return;
                }
                bytesReceived.addAndGet(n);
            }
        }, "srt-test-reader-" + socket);
        reader.setDaemon(true);
        reader.start();
        return this;
    }

    /** Sends one message; returns false when the connection is gone. */
    public boolean send(byte[] data, int off, int len) {
        sendBuf.clear();
        sendBuf.put(0, data, off, len);
        return Srt.send(socket, sendAddress, len) > 0;
    }

    /** The receive latency this connection settled on (SRTO_RCVLATENCY after the handshake). */
    public int latencyMs() {
        return Srt.getInt(socket, SrtConstants.SRTO_RCVLATENCY);
    }

    public boolean isConnected() {
        return Srt.state(socket) == SrtConstants.SRTS_CONNECTED;
    }

    @Override
    public void close() {
        Srt.close(socket);
    }
}
