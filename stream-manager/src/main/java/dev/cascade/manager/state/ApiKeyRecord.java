package dev.cascade.manager.state;

import java.io.Serializable;
import java.time.Instant;

/** An API key: only the SHA-256 of the key is stored (keys are 256-bit random, so no slow hash is needed). */
public record ApiKeyRecord(String id, String name, ApiRole role, String sha256, Instant createdAt) implements Serializable {}
