package dev.cascade.manager;

import dev.cascade.manager.config.ManagerConfig;
import dev.cascade.manager.state.ApiKeyRecord;
import dev.cascade.manager.state.ApiRole;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may call what. API keys are 256-bit random strings; only their SHA-256 is kept (in the cluster
 * map and here), and a presented key is hashed and looked up, so no comparison leaks timing about a
 * stored key. The join token is compared by hash with {@link MessageDigest#isEqual} (constant time).
 */
public final class Credentials {
    /** An API key's identity once authenticated. */
    public record Principal(String keyId, String name, ApiRole role) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] joinTokenHash;
    private final String bootstrapHash;
    private final ConcurrentHashMap<String, Principal> byHash = new ConcurrentHashMap<>();

    public Credentials(ManagerConfig.Security security) {
        this.joinTokenHash = sha256(security.joinToken());
        this.bootstrapHash = HexFormat.of().formatHex(sha256(security.adminKey()));
        byHash.put(bootstrapHash, new Principal("bootstrap", "bootstrap admin key (security.adminKey)", ApiRole.ADMIN));
    }

    public boolean joinTokenMatches(String presented) {
        return MessageDigest.isEqual(joinTokenHash, sha256(presented));
    }

    /** The principal of an API key, or null for an unknown key. */
    public Principal apiKey(String presented) {
        return byHash.get(hashHex(presented));
    }

    /** Keeps the hash index in step with the {@code cascade.apikeys} map. */
    void keyChanged(ApiKeyRecord old, ApiKeyRecord now) {
        if (old != null && !old.sha256().equals(bootstrapHash)) {
            byHash.remove(old.sha256());
        }
        if (now != null) {
            byHash.put(now.sha256(), new Principal(now.id(), now.name(), now.role()));
        }
    }

    /** A new API key: {@code csk_} and 43 characters of base64url (256 random bits). */
    public static String newKey() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "csk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String newKeyId() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return "key-" + HexFormat.of().formatHex(b);
    }

    public static String hashHex(String s) {
        return HexFormat.of().formatHex(sha256(s));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
