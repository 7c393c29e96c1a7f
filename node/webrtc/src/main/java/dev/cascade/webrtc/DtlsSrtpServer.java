package dev.cascade.webrtc;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Locale;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS 1.2 server side of one WebRTC session (we answer with {@code a=setup:passive}).
 *
 * <ul>
 *   <li>Negotiates the {@code use_srtp} extension (RFC 5764 section 4.1) with
 *       SRTP_AES128_CM_HMAC_SHA1_80, the profile every browser offers.</li>
 *   <li>Asks for the client's certificate and accepts it only if its SHA-256 matches the
 *       {@code a=fingerprint} of the peer's SDP (RFC 8122 section 5; RFC 8827 section 6.5): that
 *       fingerprint, delivered over HTTPS in the WHEP/WHIP exchange, is what binds the media to the
 *       signalling.</li>
 *   <li>Exports the SRTP keys when the handshake completes ({@link #srtpKeys()}).</li>
 * </ul>
 */
public final class DtlsSrtpServer extends DefaultTlsServer {
    private static final int PROFILE = SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;

    private final DtlsCertificate identity;
    private final String expectedPeerFingerprint;
    private volatile SrtpKeys keys;

    /**
     * @param expectedPeerFingerprint the SHA-256 fingerprint from the peer's SDP ({@code AB:CD:...})
     */
    public DtlsSrtpServer(BcTlsCrypto crypto, DtlsCertificate identity, String expectedPeerFingerprint) {
        super(crypto);
        this.identity = identity;
        this.expectedPeerFingerprint = expectedPeerFingerprint.toUpperCase(Locale.ROOT);
    }

    public SrtpKeys srtpKeys() {
        return keys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return new int[] {
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        };
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), (BcTlsCrypto) getCrypto(),
                identity.privateKey(), identity.certificate(),
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered == null || !contains(offered.getProtectionProfiles(), PROFILE)) {
            // The browser did not offer the one SRTP profile we speak: nothing to key media with.
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable ext = super.getServerExtensions();
        if (ext == null) {
            ext = new Hashtable();
        }
        TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {PROFILE}, TlsUtils.EMPTY_BYTES));
        return ext;
    }

    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        if (clientCertificate == null || clientCertificate.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }
        String actual = DtlsCertificate.sha256(clientCertificate.getCertificateAt(0).getEncoded());
        if (!actual.equals(expectedPeerFingerprint)) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = SrtpKeys.split(context.exportKeyingMaterial(SrtpKeys.EXPORTER_LABEL, null, SrtpKeys.MATERIAL_LENGTH));
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }
}
