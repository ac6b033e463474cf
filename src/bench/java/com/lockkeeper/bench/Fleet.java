package com.lockkeeper.bench;

import com.lockkeeper.bitlocker.RecoveryPassword;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A reproducible fleet: computer {@code i} and its key {@code k} always get the same name, IDs and
 * recovery password, so the seeder, the load runs and the raw-database runs agree on what exists
 * without storing it. Each computer has an OS volume and a fixed data volume with one key each.
 */
final class Fleet {

    static final int KEYS_PER_COMPUTER = 2;

    private Fleet() {
    }

    static String computerName(long i) {
        return String.format("BENCH-%08d", i);
    }

    static String fqdn(long i) {
        return computerName(i) + ".corp.example.com";
    }

    static String driveLabel(long i, int k) {
        return computerName(i) + (k == 0 ? " C: " : " D: ") + "11/23/2026";
    }

    static String volumeType(int k) {
        return k == 0 ? "OperatingSystem" : "FixedData";
    }

    static String user(long i) {
        return "CORP\\user" + (i % 50_000);
    }

    static UUID volumeId(long i, int k) {
        SplittableRandom random = random(i, k, 1);
        return new UUID(random.nextLong(), random.nextLong());
    }

    static UUID protectorId(long i, int k) {
        SplittableRandom random = random(i, k, 2);
        return new UUID(random.nextLong(), random.nextLong());
    }

    /** The 8 hex digits a user reads from the recovery screen. */
    static String shortId(long i, int k) {
        return protectorId(i, k).toString().substring(0, 8).toUpperCase();
    }

    static RecoveryPassword password(long i, int k) {
        SplittableRandom random = random(i, k, 3);
        byte[] key = new byte[RecoveryPassword.KEY_LENGTH];
        for (int b = 0; b < key.length; b++) {
            key[b] = (byte) random.nextInt(256);
        }
        return RecoveryPassword.fromKeyBytes(key);
    }

    private static SplittableRandom random(long i, int k, int purpose) {
        return new SplittableRandom(i * 1_000_003L + k * 7919L + purpose * 104_729L + 0x5eed);
    }
}
