package dev.cascade.node.srt;

import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening SRT socket whose handshakes pass through an {@link Admission} check in libsrt's listen
 * callback, the only moment SRT lets a server answer with a reject code. Accepted sockets are then
 * taken with {@link Srt#accept} when the listener becomes readable on its {@link SrtLoop}.
 */
public final class SrtListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SrtListener.class);

    /**
     * Decides a handshake. Runs on libsrt's receive thread for the port, so it must answer at once
     * (no I/O, no waiting: every other connection on the port waits behind it).
     */
    public interface Admission {
        /**
         * @return 0 to accept (after optionally setting options on {@code socket}), or an SRT
         *     reject code (1000-1999) to refuse
         */
        int decide(int socket, String streamId, InetSocketAddress peer);
    }

    private final int socket;
    // Held in a field: JNA only keeps a weak reference to callbacks, and libsrt calls it for the
    // listener's lifetime.
    private final SrtNative.ListenCallback callback;

    public SrtListener(InetSocketAddress bind, int latencyMs, int peerIdleTimeoutMs, int backlog, Admission admission) {
        Srt.startup();
        this.socket = Srt.createSocket();
        try {
            Srt.configureLive(socket, latencyMs, peerIdleTimeoutMs);
            Srt.bind(socket, bind);
            this.callback = (opaque, ns, hsVersion, peerAddr, streamId) -> {
                try {
                    int code = admission.decide(ns, streamId, Srt.fromSockaddr(peerAddr));
                    if (code != 0) {
                        Srt.setRejectReason(ns, code);
                        return -1;
                    }
                    return 0;
                } catch (Throwable t) {
                    LOG.error("listen callback failed", t);
                    Srt.setRejectReason(ns, SrtRejectCode.INTERNAL_ERROR.code());
                    return -1;
                }
            };
            // Keep libsrt's receive thread attached to the JVM between handshakes instead of attaching
            // and detaching it at every call.
            com.sun.jna.Native.setCallbackThreadInitializer(callback,
                    new com.sun.jna.CallbackThreadInitializer(true, false, "srt-listen-callback"));
            Srt.setListenCallback(socket, callback);
            Srt.listen(socket, backlog);
        } catch (RuntimeException e) {
            Srt.close(socket);
            throw e;
        }
    }

    public int socket() {
        return socket;
    }

    @Override
    public void close() {
        Srt.close(socket);
    }
}
