package dev.cascade.node.webrtc;

import dev.cascade.webrtc.DtlsCertificate;
import dev.cascade.node.metrics.NodeMetrics;
import dev.cascade.protocol.ParseException;
import dev.cascade.protocol.demux.PacketKind;
import dev.cascade.protocol.stun.StunAttribute;
import dev.cascade.protocol.stun.StunMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one UDP port for WebRTC. Every datagram is sorted on its first byte (RFC 7983 section 7):
 *
 * <pre>
 *                  +----------------+
 *                  |        [0..3] -+--> forward to STUN
 *                  |                |
 *                  |      [16..19] -+--> forward to ZRTP      (dropped)
 *                  |                |
 *      packet -->  |      [20..63] -+--> forward to DTLS
 *                  |                |
 *                  |      [64..79] -+--> forward to TURN Channel (dropped)
 *                  |                |
 *                  |    [128..191] -+--> forward to RTP/RTCP
 *                  +----------------+
 * </pre>
 *
 * We are ICE-lite (RFC 8445 section 2.5): we never send checks, we answer the browser's Binding
 * requests when their USERNAME names a session of ours and MESSAGE-INTEGRITY verifies with that
 * session's password, and the address a valid check comes from becomes the session's peer. A
 * session whose peer has not renewed consent for {@code webrtc.consentTimeoutMs} (30 s) is closed
 * (RFC 7675 section 5.1).
 */
public final class WebRtcPort implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebRtcPort.class);
    /** A session that never gets a valid check is dropped after this (the offer was abandoned). */
    static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);

    private final UdpSocket socket;
    private final InetSocketAddress localAddress;
    private final NodeMetrics metrics;
    private final long consentTimeoutNanos;
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
    private final DtlsCertificate identity = DtlsCertificate.generate(crypto);
    private final Map<String, WebRtcSession> byUfrag = new ConcurrentHashMap<>();
    private final Map<SocketAddress, WebRtcSession> byAddress = new ConcurrentHashMap<>();
    private final Map<WebRtcSession, Long> created = new ConcurrentHashMap<>();
    private final ExecutorService handshakes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dtls-handshake");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "webrtc-consent");
        t.setDaemon(true);
        return t;
    });
    private final Thread receiver;
    private volatile boolean running = true;

    public WebRtcPort(InetSocketAddress bind, NodeMetrics metrics, java.time.Duration consentTimeout) throws IOException {
        this.metrics = metrics;
        this.consentTimeoutNanos = consentTimeout.toNanos();
        this.socket = new UdpSocket(bind, 250);
        this.localAddress = socket.localAddress();
        this.receiver = new Thread(this::receive, "webrtc-udp-" + localAddress.getPort());
        receiver.setDaemon(true);
    }

    public void start() {
        receiver.start();
        housekeeping.scheduleAtFixedRate(this::expire, 1, 1, TimeUnit.SECONDS);
    }

    public int port() {
        return localAddress.getPort();
    }

    public DtlsCertificate identity() {
        return identity;
    }

    NodeMetrics metrics() {
        return metrics;
    }

    public int sessionCount() {
        return created.size();
    }

    /** Creates a session for an offer; it lives until closed, or 15 s if no check ever arrives. */
    public WebRtcSession open(String remoteUfrag, String remoteFingerprint, WebRtcSession.Listener listener) {
        WebRtcSession s = new WebRtcSession(this, remoteUfrag, remoteFingerprint, listener);
        byUfrag.put(s.localUfrag(), s);
        created.put(s, System.nanoTime());
        return s;
    }

    void bind(WebRtcSession s, InetSocketAddress from) {
        byAddress.put(from, s);
    }

    void unregister(WebRtcSession s) {
        byUfrag.remove(s.localUfrag(), s);
        created.remove(s);
        InetSocketAddress r = s.remote();
        if (r != null) {
            byAddress.remove(r, s);
        }
    }

    void startHandshake(WebRtcSession s) {
        handshakes.execute(() -> s.handshake(crypto, identity));
    }

    /**
     * One datagram (STUN, DTLS, RTCP: not the media fan-out, which goes through a {@link UdpBatch}).
     * Non-blocking, any thread; false when the kernel did not take it (the caller counts a drop).
     */
    boolean send(byte[] data, int offset, int length, byte[] sockaddr) {
        return socket.send(data, offset, length, sockaddr);
    }

    /** A batch for one stream loop's media fan-out over this port's socket. */
    public UdpBatch newBatch() {
        return new UdpBatch(socket);
    }

    private void receive() {
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        long address = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(buf));
        byte[] copy = new byte[2048];
        while (running) {
            int n = socket.receive(buf, address);
            if (n <= 0) {
                continue; // the receive timeout: look at `running` again
            }
            InetSocketAddress from = socket.sender();
            buf.clear().limit(n);
            try {
                dispatch(buf, n, from, copy);
            } catch (RuntimeException e) {
                metrics.rejected("webrtc_malformed");
            }
        }
    }

    private void dispatch(ByteBuffer buf, int n, InetSocketAddress from, byte[] scratch) {
        int first = buf.get(0) & 0xFF;
        PacketKind kind = n > 1 ? PacketKind.classify(first, buf.get(1) & 0xFF) : PacketKind.UNKNOWN;
        switch (kind) {
            case STUN -> stun(buf, from);
            case DTLS -> {
                WebRtcSession s = byAddress.get(from);
                if (s == null) {
                    metrics.rejected("dtls_unknown_peer");
                    return;
                }
                byte[] record = new byte[n];
                buf.get(0, record);
                s.dtls(record);
            }
            case RTP, RTCP -> {
                WebRtcSession s = byAddress.get(from);
                if (s == null || s.state() != WebRtcSession.State.SECURE) {
                    metrics.rejected("rtp_unknown_peer");
                    return;
                }
                // No copy here: the session's owner copies into its own bounded queue or buffer.
                if (kind == PacketKind.RTCP) {
                    s.rtcp(buf, n);
                } else {
                    s.rtp(buf, n);
                }
            }
            default -> metrics.rejected("webrtc_unknown_packet");
        }
    }

    private void stun(ByteBuffer buf, InetSocketAddress from) {
        StunMessage m;
        try {
            m = StunMessage.parse(buf.duplicate());
        } catch (ParseException e) {
            metrics.rejected("stun_malformed");
            return;
        }
        if (!m.isBindingRequest()) {
            return; // ICE-lite sends no requests, so responses and indications are not for us
        }
        Optional<String> username = m.username();
        WebRtcSession s = username.map(u -> u.split(":", 2)[0]).map(byUfrag::get).orElse(null);
        if (s == null) {
            metrics.rejected("stun_unknown_username");
            reply(StunMessage.bindingErrorResponse(m.transactionId(), StunAttribute.ErrorCode.UNAUTHORIZED, null), from);
            return;
        }
        byte[] key = StunMessage.shortTermKey(s.localPwd());
        if (!StunMessage.verifyIntegrity(buf.duplicate(), key)) {
            metrics.rejected("stun_integrity");
            reply(StunMessage.bindingErrorResponse(m.transactionId(), StunAttribute.ErrorCode.UNAUTHORIZED, null), from);
            return;
        }
        reply(StunMessage.bindingSuccessResponse(m.transactionId(), from, key), from);
        s.consent(from);
    }

    private void reply(byte[] message, InetSocketAddress to) {
        send(message, 0, message.length, UdpSocket.sockaddr(to));
    }

    private void expire() {
        long now = System.nanoTime();
        for (Map.Entry<WebRtcSession, Long> e : created.entrySet()) {
            WebRtcSession s = e.getKey();
            if (s.state() == WebRtcSession.State.NEW && now - e.getValue() > CONNECT_TIMEOUT_NANOS) {
                s.close("ice_timeout");
            } else if (s.state() != WebRtcSession.State.NEW && now - s.lastConsentNanos() > consentTimeoutNanos) {
                s.close("consent_expired");
            }
        }
    }

    @Override
    public void close() {
        running = false;
        housekeeping.shutdownNow();
        handshakes.shutdownNow();
        for (WebRtcSession s : created.keySet()) {
            s.close("shutdown");
        }
        socket.close();
    }
}
