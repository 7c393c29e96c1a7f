package dev.cascade.webrtc;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP protection of outgoing RTP for one SSRC, SRTP_AES128_CM_HMAC_SHA1_80 (RFC 3711 with the
 * DTLS-SRTP profile of RFC 5764 section 4.1.2), for the per-viewer send path: session keys derived
 * once, the HMAC keyed once, AES-CTR and HMAC-SHA1 run on the JDK's CPU intrinsics. Per packet it
 * allocates only the {@code IvParameterSpec} the JDK's cipher API wants.
 *
 * <p>Measured against jitsi-srtp (which still does SRTCP and everything we receive) with
 * {@code bench/run send-path}: rewrite + protect 1.17 M packets/s against 1.06 M on this machine.
 * Its output is checked byte for byte against jitsi-srtp (across the sequence wrap, and for
 * retransmissions), against a jitsi-srtp receiver over three wraps, and against the
 * key-derivation vectors of RFC 3711 appendix B.3.
 *
 * <ul>
 *   <li>Key derivation (section 4.3.1, key derivation rate 0): {@code x = label * 2^48 XOR
 *       master_salt}; each session key is the AES-CM keystream of the master key from {@code x * 2^16}.</li>
 *   <li>Encryption (section 4.1.1): the payload XOR the AES keystream from {@code IV = (k_s * 2^16)
 *       XOR (SSRC * 2^64) XOR (i * 2^16)}, {@code i = 2^16 * ROC + SEQ}.</li>
 *   <li>Authentication (section 4.2): HMAC-SHA1 over the header and encrypted payload, then the
 *       ROC, truncated to 80 bits and appended.</li>
 *   <li>The rollover counter (section 3.3.1) follows the highest sequence number sent; an older
 *       one (a NACKed retransmission) gets the ROC it was first sent with (appendix A's estimate).</li>
 * </ul>
 *
 * One thread at a time; one instance per SSRC per session.
 */
public final class SrtpSender {
    /** Bytes appended: the 80-bit authentication tag. */
    public static final int TAG_LENGTH = 10;
    private static final int LABEL_ENCRYPTION = 0x00;
    private static final int LABEL_AUTH = 0x01;
    private static final int LABEL_SALT = 0x02;
    private static final int MAX_PAYLOAD = 2048;

    private final Cipher ctr;
    private final SecretKeySpec encryptionKey;
    private final byte[] iv = new byte[16];
    private final Mac hmac;
    private final byte[] salt = new byte[14];
    private final byte[] roc = new byte[4];
    private final byte[] mac = new byte[20];
    private final int ssrc;
    private boolean started;
    private int highestSeq;
    private long rolloverCounter;

    /**
     * @param masterKey  16 bytes (the DTLS exporter's key for our direction)
     * @param masterSalt 14 bytes
     */
    public SrtpSender(byte[] masterKey, byte[] masterSalt, int ssrc) throws GeneralSecurityException {
        if (masterKey.length != 16 || masterSalt.length != 14) {
            throw new IllegalArgumentException("AES-128 master key (16) and salt (14) expected");
        }
        this.ssrc = ssrc;
        Cipher master = Cipher.getInstance("AES/ECB/NoPadding");
        master.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"));
        byte[] encryptionKey = derive(master, masterSalt, LABEL_ENCRYPTION, 16);
        byte[] authKey = derive(master, masterSalt, LABEL_AUTH, 20);
        System.arraycopy(derive(master, masterSalt, LABEL_SALT, 14), 0, salt, 0, 14);
        this.encryptionKey = new SecretKeySpec(encryptionKey, "AES");
        ctr = Cipher.getInstance("AES/CTR/NoPadding");
        hmac = Mac.getInstance("HmacSHA1");
        hmac.init(new SecretKeySpec(authKey, "HmacSHA1"));
    }

    /** RFC 3711 section 4.3.1 with kdr 0: AES-CM of the master key from (label * 2^48 XOR salt) * 2^16. */
    static byte[] derive(Cipher master, byte[] masterSalt, int label, int length) throws GeneralSecurityException {
        byte[] x = new byte[16];
        System.arraycopy(masterSalt, 0, x, 0, 14);
        x[7] ^= (byte) label; // label * 2^48 within the 112-bit salt: byte 7 of 14
        int blocks = (length + 15) / 16;
        byte[] in = new byte[blocks * 16];
        for (int b = 0; b < blocks; b++) {
            System.arraycopy(x, 0, in, b * 16, 14);
            in[b * 16 + 14] = (byte) (b >> 8);
            in[b * 16 + 15] = (byte) b;
        }
        byte[] out = master.doFinal(in);
        byte[] key = new byte[length];
        System.arraycopy(out, 0, key, 0, length);
        return key;
    }

    /**
     * Protects the RTP packet in {@code packet[0..length)} in place and appends the tag; returns
     * the new length. {@code packet} must have {@link #TAG_LENGTH} bytes of room after it, and its
     * header (with CSRCs and extension) must be well-formed: it is our own packetizer's.
     */
    public int protect(byte[] packet, int length) throws GeneralSecurityException {
        int seq = ((packet[2] & 0xFF) << 8) | (packet[3] & 0xFF);
        long index = index(seq);
        int header = 12 + 4 * (packet[0] & 0x0F);
        if ((packet[0] & 0x10) != 0) {
            header += 4 + 4 * (((packet[header + 2] & 0xFF) << 8) | (packet[header + 3] & 0xFF));
        }
        int payload = length - header;
        if (payload < 0 || payload > MAX_PAYLOAD) {
            throw new IllegalArgumentException("RTP packet of " + length + " bytes with a " + header + "-byte header");
        }
        encrypt(packet, header, payload, index);
        long r = index >>> 16;
        roc[0] = (byte) (r >>> 24);
        roc[1] = (byte) (r >>> 16);
        roc[2] = (byte) (r >>> 8);
        roc[3] = (byte) r;
        hmac.update(packet, 0, length);
        hmac.update(roc, 0, 4);
        hmac.doFinal(mac, 0);
        System.arraycopy(mac, 0, packet, length, TAG_LENGTH);
        return length + TAG_LENGTH;
    }

    /** The 48-bit packet index for {@code seq}, advancing the ROC on a wrap (RFC 3711 section 3.3.1, appendix A). */
    long index(int seq) {
        if (!started) {
            started = true;
            highestSeq = seq;
            return seq;
        }
        long v;
        if (highestSeq < 32768) {
            v = seq - highestSeq > 32768 ? (rolloverCounter - 1) & 0xFFFFFFFFL : rolloverCounter;
        } else {
            v = highestSeq - 32768 > seq ? (rolloverCounter + 1) & 0xFFFFFFFFL : rolloverCounter;
        }
        if (v == ((rolloverCounter + 1) & 0xFFFFFFFFL)) {
            rolloverCounter = v;
            highestSeq = seq;
        } else if (v == rolloverCounter && seq > highestSeq) {
            highestSeq = seq;
        }
        return (v << 16) | seq;
    }

    private void encrypt(byte[] packet, int offset, int length, long index) throws GeneralSecurityException {
        if (length == 0) {
            return;
        }
        // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16); AES in counter mode from there.
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte) (ssrc >>> 24);
        iv[5] ^= (byte) (ssrc >>> 16);
        iv[6] ^= (byte) (ssrc >>> 8);
        iv[7] ^= (byte) ssrc;
        iv[8] ^= (byte) (index >>> 40);
        iv[9] ^= (byte) (index >>> 32);
        iv[10] ^= (byte) (index >>> 24);
        iv[11] ^= (byte) (index >>> 16);
        iv[12] ^= (byte) (index >>> 8);
        iv[13] ^= (byte) index;
        ctr.init(Cipher.ENCRYPT_MODE, encryptionKey, new IvParameterSpec(iv));
        ctr.doFinal(packet, offset, length, packet, offset);
    }
}
