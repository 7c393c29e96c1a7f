package dev.cascade.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DatagramTransport;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpErrorStatus;
import org.junit.jupiter.api.Test;

/**
 * A real DTLS 1.2 handshake between our server and our client (the one our Java test clients use)
 * (use_srtp offered, client certificate presented), over an in-memory datagram pair.
 */
class DtlsSrtpTest {
    private final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());

    /** One end of a lossless in-memory datagram link. */
    static final class Pipe implements DatagramTransport {
        final BlockingQueue<byte[]> in;
        final BlockingQueue<byte[]> out;

        Pipe(BlockingQueue<byte[]> in, BlockingQueue<byte[]> out) {
            this.in = in;
            this.out = out;
        }

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
            try {
                byte[] d = in.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (d == null) {
                    return -1;
                }
                System.arraycopy(d, 0, buf, off, Math.min(len, d.length));
                return Math.min(len, d.length);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            out.add(Arrays.copyOfRange(buf, off, off + len));
        }

        @Override
        public void close() {}
    }

    private record Result(DtlsSrtpServer server, DtlsSrtpClient client, DtlsCertificate clientId) {}

    private Result handshake(boolean rightFingerprint) throws Exception {
        DtlsCertificate serverId = DtlsCertificate.generate(crypto);
        DtlsCertificate clientId = DtlsCertificate.generate(crypto);
        DtlsSrtpClient client = new DtlsSrtpClient(crypto, clientId, serverId.fingerprint());
        String expected = rightFingerprint ? clientId.fingerprint()
                : DtlsCertificate.generate(crypto).fingerprint();
        DtlsSrtpServer server = new DtlsSrtpServer(crypto, serverId, expected);
        BlockingQueue<byte[]> toServer = new ArrayBlockingQueue<>(256);
        BlockingQueue<byte[]> toClient = new ArrayBlockingQueue<>(256);
        CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
            try {
                new DTLSServerProtocol().accept(server, new Pipe(toServer, toClient));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            new DTLSClientProtocol().connect(client, new Pipe(toClient, toServer));
        } finally {
            try {
                serverSide.get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                if (rightFingerprint) {
                    throw e;
                }
            }
        }
        return new Result(server, client, clientId);
    }

    @Test
    void handshakeAgreesOnSrtpKeysAndSrtpRoundTrips() throws Exception {
        Result r = handshake(true);
        SrtpKeys s = r.server().srtpKeys();
        SrtpKeys c = r.client().srtpKeys();
        assertThat(s).isNotNull();
        assertThat(s.serverKey()).isEqualTo(c.serverKey());
        assertThat(s.clientKey()).isEqualTo(c.clientKey());
        assertThat(s.serverSalt()).isEqualTo(c.serverSalt());
        assertThat(s.serverKey()).isNotEqualTo(s.clientKey());

        // Server protects an RTP packet; the client side (browser role) authenticates and decrypts it.
        byte[] rtp = new byte[12 + 100];
        rtp[0] = (byte) 0x80;
        rtp[1] = 96;
        rtp[3] = 7; // seq 7
        int ssrc = 0x11223344;
        rtp[8] = 0x11;
        rtp[9] = 0x22;
        rtp[10] = 0x33;
        rtp[11] = 0x44;
        for (int i = 12; i < rtp.length; i++) {
            rtp[i] = (byte) i;
        }
        try (SrtpSession serverSrtp = new SrtpSession(s, true); SrtpSession clientSrtp = new SrtpSession(c, false)) {
            PacketBuffer p = new PacketBuffer(1500);
            System.arraycopy(rtp, 0, p.getBuffer(), 0, rtp.length);
            SrtpSender tx = serverSrtp.rtpSender(ssrc);
            assertThat(tx.protect(p.getBuffer(), rtp.length)).isEqualTo(rtp.length + SrtpSession.RTP_OVERHEAD);
            p.set(rtp.length + SrtpSession.RTP_OVERHEAD);
            assertThat(Arrays.copyOfRange(p.getBuffer(), 12, rtp.length)).isNotEqualTo(Arrays.copyOfRange(rtp, 12, rtp.length));
            SrtpCryptoContext rx = clientSrtp.receiver(ssrc);
            assertThat(rx.reverseTransformPacket(p, false)).isEqualTo(SrtpErrorStatus.OK);
            assertThat(Arrays.copyOfRange(p.getBuffer(), 0, p.getLength())).isEqualTo(rtp);

            // A tampered packet fails authentication.
            System.arraycopy(rtp, 0, p.getBuffer(), 0, rtp.length);
            p.getBuffer()[3] = 8;
            p.set(tx.protect(p.getBuffer(), rtp.length));
            p.getBuffer()[20] ^= 1;
            assertThat(clientSrtp.receiver(ssrc).reverseTransformPacket(p, false)).isEqualTo(SrtpErrorStatus.AUTH_FAIL);
        }
    }

    @Test
    void aRetransmissionIsProtectedAgainToTheSameBytes() throws Exception {
        Result r = handshake(true);
        byte[] rtp = new byte[12 + 50];
        rtp[0] = (byte) 0x80;
        rtp[1] = 96;
        rtp[3] = 9;
        rtp[11] = 1;
        try (SrtpSession serverSrtp = new SrtpSession(r.server().srtpKeys(), true)) {
            SrtpSender tx = serverSrtp.rtpSender(1);
            byte[] p = new byte[1500];
            System.arraycopy(rtp, 0, p, 0, rtp.length);
            int n = tx.protect(p, rtp.length);
            byte[] first = Arrays.copyOf(p, n);
            rtp[3] = 10;
            System.arraycopy(rtp, 0, p, 0, rtp.length);
            tx.protect(p, rtp.length);
            // Sequence number 9 again (a NACK): the same index, so identical on the wire.
            rtp[3] = 9;
            System.arraycopy(rtp, 0, p, 0, rtp.length);
            assertThat(tx.protect(p, rtp.length)).isEqualTo(n);
            assertThat(Arrays.copyOf(p, n)).isEqualTo(first);
        }
    }

    @Test
    void aServerCertificateThatDoesNotMatchTheSdpFingerprintIsRefused() {
        // Our client checks the server too: the handshake ends with bad_certificate on its side.
        assertThatThrownBy(() -> {
            DtlsCertificate serverId = DtlsCertificate.generate(crypto);
            DtlsCertificate clientId = DtlsCertificate.generate(crypto);
            DtlsSrtpClient client = new DtlsSrtpClient(crypto, clientId, DtlsCertificate.generate(crypto).fingerprint());
            DtlsSrtpServer server = new DtlsSrtpServer(crypto, serverId, clientId.fingerprint());
            BlockingQueue<byte[]> toServer = new ArrayBlockingQueue<>(256);
            BlockingQueue<byte[]> toClient = new ArrayBlockingQueue<>(256);
            CompletableFuture.runAsync(() -> {
                try {
                    new DTLSServerProtocol().accept(server, new Pipe(toServer, toClient));
                } catch (IOException e) {
                    // the client aborts
                }
            });
            new DTLSClientProtocol().connect(client, new Pipe(toClient, toServer));
        }).isInstanceOfSatisfying(org.bouncycastle.tls.TlsFatalAlert.class,
                e -> assertThat(e.getAlertDescription()).isEqualTo(org.bouncycastle.tls.AlertDescription.bad_certificate));
    }

    @Test
    void aClientCertificateThatDoesNotMatchTheSdpFingerprintIsRefused() {
        // Our server sends bad_certificate (42); the browser-side client receives it and aborts.
        assertThatThrownBy(() -> handshake(false))
                .isInstanceOfSatisfying(org.bouncycastle.tls.TlsFatalAlertReceived.class,
                        e -> assertThat(e.getAlertDescription()).isEqualTo(org.bouncycastle.tls.AlertDescription.bad_certificate));
    }
}
