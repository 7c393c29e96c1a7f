package dev.cascade.webrtc;

import java.util.Arrays;

/**
 * SRTP master keys and salts for both directions, exported from DTLS with the label
 * {@code EXTRACTOR-dtls_srtp} (RFC 5764 section 4.2): client key, server key, client salt, server salt.
 */
public record SrtpKeys(byte[] clientKey, byte[] serverKey, byte[] clientSalt, byte[] serverSalt) {
    public static final String EXPORTER_LABEL = "EXTRACTOR-dtls_srtp";
    /** SRTP_AES128_CM_HMAC_SHA1_80: 128-bit key, 112-bit salt (RFC 5764 section 4.1.2). */
    public static final int KEY_LENGTH = 16;
    public static final int SALT_LENGTH = 14;
    public static final int MATERIAL_LENGTH = 2 * (KEY_LENGTH + SALT_LENGTH);

    public static SrtpKeys split(byte[] material) {
        if (material.length != MATERIAL_LENGTH) {
            throw new IllegalArgumentException("need " + MATERIAL_LENGTH + " bytes of keying material");
        }
        int k = KEY_LENGTH;
        return new SrtpKeys(Arrays.copyOfRange(material, 0, k), Arrays.copyOfRange(material, k, 2 * k),
                Arrays.copyOfRange(material, 2 * k, 2 * k + SALT_LENGTH),
                Arrays.copyOfRange(material, 2 * k + SALT_LENGTH, MATERIAL_LENGTH));
    }
}
