package dev.cascade.webrtc;

import java.security.GeneralSecurityException;
import org.jitsi.srtp.SrtcpCryptoContext;
import org.jitsi.srtp.SrtpContextFactory;
import org.jitsi.srtp.SrtpCryptoContext;
import org.jitsi.srtp.SrtpPolicy;
import org.jitsi.utils.logging2.LoggerImpl;

/**
 * SRTP/SRTCP for one WebRTC session, from the keys its DTLS handshake exported (jitsi-srtp, which
 * uses OpenSSL's AES through its bundled native library when it loads, else the JDK's).
 * {@code serverRole} says which half of the keys we send with: the DTLS server sends with the
 * server key and receives with the client key (RFC 5764 section 4.2).
 */
public final class SrtpSession implements AutoCloseable {
    /** SRTP_AES128_CM_HMAC_SHA1_80: AES-CM 128, HMAC-SHA1 with an 80-bit tag (RFC 3711, RFC 5764). */
    public static SrtpPolicy policy() {
        return new SrtpPolicy(SrtpPolicy.AESCM_ENCRYPTION, 16, SrtpPolicy.HMACSHA1_AUTHENTICATION, 20, 10, 14);
    }

    /** Bytes SRTP adds to an RTP packet (the auth tag), so senders leave this much tail room. */
    public static final int RTP_OVERHEAD = SrtpSender.TAG_LENGTH;
    /** SRTCP adds the E-flag + index word and the tag. */
    public static final int RTCP_OVERHEAD = 14;

    private final SrtpContextFactory sendFactory;
    private final byte[] sendKey;
    private final byte[] sendSalt;
    private final SrtpContextFactory receiveFactory;

    public SrtpSession(SrtpKeys keys, boolean serverRole) {
        LoggerImpl log = new LoggerImpl("srtp");
        this.sendKey = serverRole ? keys.serverKey() : keys.clientKey();
        this.sendSalt = serverRole ? keys.serverSalt() : keys.clientSalt();
        byte[] recvKey = serverRole ? keys.clientKey() : keys.serverKey();
        byte[] recvSalt = serverRole ? keys.clientSalt() : keys.serverSalt();
        // jitsi-srtp sends only our SRTCP; RTP goes out through SrtpSender.
        this.sendFactory = new SrtpContextFactory(true, sendKey, sendSalt, policy(), policy(), log);
        this.receiveFactory = new SrtpContextFactory(false, recvKey, recvSalt, policy(), policy(), log);
    }

    /**
     * Protection for media we send with this SSRC on the per-viewer fan-out path: {@link SrtpSender},
     * keys set up once. One per SSRC; not shared between threads.
     */
    public SrtpSender rtpSender(int ssrc) throws GeneralSecurityException {
        return new SrtpSender(sendKey, sendSalt, ssrc);
    }

    public SrtcpCryptoContext rtcpSender(int ssrc) throws GeneralSecurityException {
        return sendFactory.deriveControlContext(ssrc);
    }

    /** A context that authenticates and decrypts RTP the peer sends with this SSRC. */
    public SrtpCryptoContext receiver(int ssrc) throws GeneralSecurityException {
        return receiveFactory.deriveContext(ssrc, 0);
    }

    public SrtcpCryptoContext rtcpReceiver(int ssrc) throws GeneralSecurityException {
        return receiveFactory.deriveControlContext(ssrc);
    }

    @Override
    public void close() {
        sendFactory.close();
        receiveFactory.close();
    }
}
