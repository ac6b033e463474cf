package com.lockkeeper.lifecycle;

import com.lockkeeper.support.InvalidValueException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A recovery password verifier as a device reported it at check-in: 32 bytes, sent as 64 hex
 * digits. It equals the fingerprint stored for the key when the escrowed password is the one on
 * the device; compared only in constant time.
 */
public final class PasswordVerifier {

    static final int LENGTH = 32;

    private final byte[] bytes;

    private PasswordVerifier(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PasswordVerifier parse(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new InvalidValueException("must be " + 2 * LENGTH + " hex digits: the SHA-256 verifier of the recovery password");
        }
        return new PasswordVerifier(HexFormat.of().parseHex(hex));
    }

    public static PasswordVerifier of(byte[] bytes) {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IllegalArgumentException("a verifier has " + LENGTH + " bytes");
        }
        return new PasswordVerifier(bytes.clone());
    }

    /** Whether this is the fingerprint (or verifier) given, compared in constant time. */
    public boolean matches(byte[] fingerprint) {
        return fingerprint != null && MessageDigest.isEqual(bytes, fingerprint);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PasswordVerifier that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "PasswordVerifier[" + HexFormat.of().formatHex(bytes, 0, 4) + "…]";
    }
}
