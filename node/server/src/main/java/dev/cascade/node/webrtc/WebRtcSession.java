package dev.cascade.node.webrtc;

import dev.cascade.webrtc.DtlsSrtpServer;
import dev.cascade.webrtc.SrtpSession;
import dev.cascade.webrtc.DtlsCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer connection on the node's WebRTC port: ICE-lite credentials, the peer's address once a
 * STUN check with valid integrity names it, the DTLS handshake (run on a worker thread, since
 * BouncyCastle's is blocking) and the SRTP keys it yields.
 */
public final class WebRtcSession {
    private static final Logger LOG = LoggerFactory.getLogger(WebRtcSession.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** What the owner of a session (a viewer, a publisher) hears from it. */
    public interface Listener {
        /** DTLS is done: SRTP can flow. Called on the DTLS worker thread. */
        void onSecure(WebRtcSession session);

        /**
         * An SRTCP packet from the peer, still protected, in {@code packet} from index 0. Receiver
         * thread; the buffer is the port's and is reused once this returns, so copy what you keep.
         */
        void onRtcp(WebRtcSession session, ByteBuffer packet, int length);

        /** An SRTP packet from the peer (publishers), on the same terms as {@link #onRtcp}. */
        void onRtp(WebRtcSession session, ByteBuffer packet, int length);

        /** DTLS failed, consent expired, or the session was deleted. */
        void onClosed(WebRtcSession session, String reason);
    }

    public enum State { NEW, CONNECTED, SECURE, CLOSED }

    private final String id = HexFormat.of().formatHex(randomBytes(12));
    private final String localUfrag = randomIce(8);
    private final String localPwd = randomIce(24);
    private final String remoteUfrag;
    private final String remoteFingerprint;
    private final WebRtcPort port;
    private final Listener listener;
    private final BlockingQueue<byte[]> dtlsInbox = new ArrayBlockingQueue<>(64);
    private volatile InetSocketAddress remote;
    /** {@link #remote} as {@code struct sockaddr_in}, for the kernel. */
    private volatile byte[] remoteSockaddr;
    private volatile State state = State.NEW;
    private volatile SrtpSession srtp;
    private volatile long lastConsentNanos = System.nanoTime();
    private volatile String closeReason;
    private volatile Runnable onEnd = () -> {};

    WebRtcSession(WebRtcPort port, String remoteUfrag, String remoteFingerprint, Listener listener) {
        this.port = port;
        this.remoteUfrag = remoteUfrag;
        this.remoteFingerprint = remoteFingerprint;
        this.listener = listener;
    }

    public String id() {
        return id;
    }

    public String localUfrag() {
        return localUfrag;
    }

    public String localPwd() {
        return localPwd;
    }

    public String remoteUfrag() {
        return remoteUfrag;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public State state() {
        return state;
    }

    public SrtpSession srtp() {
        return srtp;
    }

    long lastConsentNanos() {
        return lastConsentNanos;
    }

    /** A STUN check with valid integrity arrived from {@code from} (RFC 7675 consent freshness). */
    void consent(InetSocketAddress from) {
        lastConsentNanos = System.nanoTime();
        if (remote == null || !remote.equals(from)) {
            remoteSockaddr = UdpSocket.sockaddr(from);
            remote = from;
            port.bind(this, from);
        }
        if (state == State.NEW) {
            state = State.CONNECTED;
            port.startHandshake(this);
        }
    }

    /**
     * A DTLS record from the peer. Receiver thread; dropped if the handshake thread is behind. Once
     * SRTP is keyed nothing reads DTLS any more (no renegotiation in DTLS-SRTP, RFC 5764 section
     * 4.1.1; a close_notify is answered by consent expiry), so later records are counted and dropped.
     */
    void dtls(byte[] record) {
        if (state == State.SECURE) {
            port.metrics().rejected("dtls_after_handshake");
        } else if (state != State.CLOSED) {
            dtlsInbox.offer(record);
        }
    }

    void rtcp(ByteBuffer packet, int length) {
        listener.onRtcp(this, packet, length);
    }

    void rtp(ByteBuffer packet, int length) {
        listener.onRtp(this, packet, length);
    }

    /** Runs the DTLS server handshake to completion. DTLS worker thread. */
    void handshake(BcTlsCrypto crypto, DtlsCertificate identity) {
        DtlsSrtpServer server = new DtlsSrtpServer(crypto, identity, remoteFingerprint);
        try {
            new DTLSServerProtocol().accept(server, new Transport());
            srtp = new SrtpSession(server.srtpKeys(), true);
            state = State.SECURE;
            listener.onSecure(this);
        } catch (IOException | RuntimeException e) {
            port.metrics().rejected("dtls_failed");
            LOG.info("session {}: DTLS handshake with {} failed: {}", id, remote, e.toString());
            close("dtls_failed");
        }
    }

    /** Sends one datagram to the peer (SRTCP, already protected). Non-blocking; false if dropped. */
    public boolean send(byte[] data, int offset, int length) {
        byte[] to = remoteSockaddr;
        return to != null && state == State.SECURE && port.send(data, offset, length, to);
    }

    /**
     * The peer's address for {@link UdpBatch#add}, or null while the session cannot take media
     * (not yet keyed, or closed).
     */
    public byte[] mediaSockaddr() {
        return state == State.SECURE ? remoteSockaddr : null;
    }

    public void close(String reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeReason = reason;
        port.unregister(this);
        SrtpSession s = srtp;
        if (s != null) {
            s.close();
        }
        listener.onClosed(this, reason);
        onEnd.run();
    }

    /** Runs after the session closed, whatever closed it (bookkeeping of its owner). */
    public void onEnd(Runnable r) {
        this.onEnd = r;
    }

    public String closeReason() {
        return closeReason;
    }

    /** BouncyCastle's view of the session: records from the inbox, records out through the port. */
    private final class Transport implements DatagramTransport {
        @Override
        public int getReceiveLimit() {
            return 1500;
        }

        @Override
        public int getSendLimit() {
            return 1200;
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (state == State.CLOSED) {
                throw new IOException("session closed");
            }
            try {
                byte[] r = dtlsInbox.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (r == null) {
                    return -1;
                }
                int n = Math.min(len, r.length);
                System.arraycopy(r, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            byte[] to = remoteSockaddr;
            if (to != null) {
                port.send(buf, off, len, to);
            }
        }

        @Override
        public void close() {}
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** ice-char = ALPHA / DIGIT / "+" / "/" (RFC 8839 section 5.4). */
    private static String randomIce(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ICE_CHARS.charAt(RANDOM.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }
}
