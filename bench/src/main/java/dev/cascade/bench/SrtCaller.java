package dev.cascade.bench;

import dev.cascade.node.srt.Srt;
import dev.cascade.node.srt.SrtConstants;
import dev.cascade.node.srt.SrtException;
import java.net.InetSocketAddress;

/** SRT caller sockets for the benchmark's own publishers and receivers (libsrt through Cascade's JNA binding). */
final class SrtCaller {
    static final int SRTO_SNDTIMEO = 13;
    static final int SRTO_RCVTIMEO = 14;

    private SrtCaller() {}

    /**
     * Connects a live-mode caller and returns its socket.
     *
     * @param streamId SRT stream ID, or null (srt-live-transmit ignores it)
     * @param latencyMs this side's SRTO_LATENCY; SRT uses the larger of both sides'
     * @param blocking blocking send/recv (with a 200 ms timeout so reader threads can stop)
     * @param bindPort 0, or a local port to bind first: callers bound to the same port share one
     *     libsrt multiplexer (one UDP socket, one send and one receive thread), as a server's
     *     accepted sockets do, which keeps a load generator cheap
     * @param retryMillis keep trying this long while the peer refuses or is not listening yet
     */
    static int connect(int port, String streamId, int latencyMs, boolean blocking, int bindPort, long retryMillis) {
        Srt.startup();
        long deadline = System.nanoTime() + retryMillis * 1_000_000L;
        while (true) {
            int s = Srt.createSocket();
            try {
                Srt.configureLive(s, latencyMs, 5000);
                Srt.setInt(s, SrtConstants.SRTO_CONNTIMEO, 3000);
                if (blocking) {
                    Srt.setInt(s, SrtConstants.SRTO_RCVSYN, 1);
                    Srt.setInt(s, SrtConstants.SRTO_SNDSYN, 1);
                    Srt.setInt(s, SRTO_RCVTIMEO, 250);
                    Srt.setInt(s, SRTO_SNDTIMEO, 1000);
                } else {
                    // connect blocks (simpler), data calls do not
                    Srt.setInt(s, SrtConstants.SRTO_RCVSYN, 1);
                }
                if (streamId != null) {
                    Srt.setString(s, SrtConstants.SRTO_STREAMID, streamId);
                }
                if (bindPort > 0) {
                    Srt.bind(s, new InetSocketAddress("127.0.0.1", bindPort));
                }
                Srt.connect(s, new InetSocketAddress("127.0.0.1", port));
                if (!blocking) {
                    Srt.setInt(s, SrtConstants.SRTO_RCVSYN, 0);
                    Srt.setInt(s, SrtConstants.SRTO_SNDSYN, 0);
                }
                return s;
            } catch (SrtException e) {
                Srt.close(s);
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Bench.sleep(50);
            }
        }
    }

    static String publish(String name) {
        return "#!::r=live/" + name + ",m=publish";
    }

    static String request(String name) {
        return "#!::r=live/" + name + ",m=request";
    }
}
