package dev.cascade.webrtc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The node's DTLS identity: an ECDSA P-256 key and a self-signed certificate, made once at start-up.
 * WebRTC does not use PKI; each side checks the other's certificate against the SHA-256 fingerprint
 * it put in its SDP ({@code a=fingerprint}, RFC 8122 section 5), which {@link #fingerprint} gives.
 */
public final class DtlsCertificate {
    private final AsymmetricKeyParameter privateKey;
    private final Certificate certificate;
    private final String fingerprint;

    private DtlsCertificate(AsymmetricKeyParameter privateKey, Certificate certificate, String fingerprint) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.fingerprint = fingerprint;
    }

    public static DtlsCertificate generate(BcTlsCrypto crypto) {
        try {
            KeyPairGenerator kpg = KeyPairGenerator.getInstance("EC");
            kpg.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair kp = kpg.generateKeyPair();
            long now = System.currentTimeMillis();
            X500Name name = new X500Name("CN=cascade");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(new SecureRandom().nextLong() & Long.MAX_VALUE),
                    new Date(now - 86_400_000L), new Date(now + 30L * 86_400_000L), name, kp.getPublic());
            byte[] der = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
            Certificate cert = new Certificate(new TlsCertificate[] {crypto.createCertificate(der)});
            return new DtlsCertificate(PrivateKeyFactory.createKey(kp.getPrivate().getEncoded()), cert, sha256(der));
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make the DTLS certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code AB:CD:...}, upper-case hex pairs, as SDP writes fingerprints. */
    public static String sha256(byte[] der) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(der);
            String hex = HexFormat.ofDelimiter(":").formatHex(d);
            return hex.toUpperCase(Locale.ROOT);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    public Certificate certificate() {
        return certificate;
    }

    /** SHA-256 fingerprint for {@code a=fingerprint:sha-256 ...}. */
    public String fingerprint() {
        return fingerprint;
    }
}
