package dev.cascade.webrtc;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Locale;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS 1.2 client side of a WebRTC session, as a browser plays it (its answer or offer says
 * {@code a=setup:active}/{@code actpass} and the server took passive): offers {@code use_srtp} with
 * SRTP_AES128_CM_HMAC_SHA1_80, presents its own certificate, and accepts the server's only if its
 * SHA-256 matches the {@code a=fingerprint} of the server's SDP (RFC 8122 section 5). Used by our
 * Java WebRTC clients (tests, load tools); the node itself is always the server.
 */
public final class DtlsSrtpClient extends DefaultTlsClient {
    private final BcTlsCrypto bcCrypto;
    private final DtlsCertificate identity;
    private final String expectedServerFingerprint;
    private volatile SrtpKeys keys;

    /** @param expectedServerFingerprint from the server's SDP ({@code AB:CD:...}), or null to accept any */
    public DtlsSrtpClient(BcTlsCrypto crypto, DtlsCertificate identity, String expectedServerFingerprint) {
        super(crypto);
        this.bcCrypto = crypto;
        this.identity = identity;
        this.expectedServerFingerprint = expectedServerFingerprint == null ? null
                : expectedServerFingerprint.toUpperCase(Locale.ROOT);
    }

    public SrtpKeys srtpKeys() {
        return keys;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable ext = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        // Only the profile SrtpSession keys: a server that prefers GCM (Janus does) must not pick one
        // we would then fail to decrypt. Every WebRTC server supports this one (RFC 8827 section 6.5).
        TlsSRTPUtils.addUseSRTPExtension(ext, new UseSRTPData(new int[] {SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80},
            TlsUtils.EMPTY_BYTES));
        return ext;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                if (expectedServerFingerprint == null) {
                    return;
                }
                var chain = serverCertificate.getCertificate();
                if (chain == null || chain.isEmpty()
                        || !DtlsCertificate.sha256(chain.getCertificateAt(0).getEncoded()).equals(expectedServerFingerprint)) {
                    throw new TlsFatalAlert(AlertDescription.bad_certificate);
                }
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), bcCrypto,
                        identity.privateKey(), identity.certificate(),
                        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        keys = SrtpKeys.split(context.exportKeyingMaterial(SrtpKeys.EXPORTER_LABEL, null, SrtpKeys.MATERIAL_LENGTH));
    }
}
