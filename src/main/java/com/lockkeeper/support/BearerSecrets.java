package com.lockkeeper.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The one scheme for bearer secrets (API tokens, device credentials): a prefix that says what the
 * secret is, then 256 random bits in base64url. Only the SHA-256 of a secret is stored: the secret
 * has all the entropy a slow hash would add, and a database dump cannot be replayed.
 */
public final class BearerSecrets {

    /** Longer than any secret issued here: a longer one is not looked up. */
    public static final int MAX_LENGTH = 200;

    private BearerSecrets() {
    }

    public static String generate(String prefix, SecureRandom random) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
