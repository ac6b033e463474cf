package com.lockkeeper.keys;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a device sends at check-in to show that the escrowed recovery password is the one it
 * has, without sending the password: the fingerprint the server stores for that key, computed
 * from the device's own password. It is SHA-256 over
 * {@code lockkeeper/v1/recovery-password/<protector ID>/<volume ID>}, a zero byte and the 16 key
 * bytes, so the server compares it with the stored fingerprint without decrypting anything.
 * This is the server's own fingerprint, not a second implementation of it.
 */
public final class RecoveryPasswordVerifier {

    /** Bytes of a verifier (SHA-256). */
    public static final int LENGTH = 32;

    private RecoveryPasswordVerifier() {
    }

    /** The verifier of this password as the protector of this volume. */
    public static byte[] of(RecoveryPassword password, ProtectorId protector, VolumeId volume) {
        byte[] key = password.keyBytes();
        try {
            return EpochSealer.fingerprintOf(RecordBinding.recoveryPassword(protector, volume), key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@link #of} as a device sends it: 64 lower-case hex digits. */
    public static String hex(RecoveryPassword password, ProtectorId protector, VolumeId volume) {
        return HexFormat.of().formatHex(of(password, protector, volume));
    }
}
