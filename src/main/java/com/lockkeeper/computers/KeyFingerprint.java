package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.time.Instant;

/**
 * A recovery key as a check-in's verifiers are compared with it: its fingerprint and, when a
 * device reported another password for it, that report ({@code deviceVerifier}, {@code differsSince};
 * both null otherwise). Never a secret.
 */
public record KeyFingerprint(long id, ProtectorId protectorId, long volumeRowId, VolumeId volumeId, KeyStatus status,
        byte[] fingerprint, Instant verifiedAt, byte[] deviceVerifier, Instant differsSince) {

    /** Whether a device reported that its password differs from the escrowed one (and no escrow replaced it yet). */
    public boolean differs() {
        return deviceVerifier != null;
    }

    @Override
    public String toString() {
        return "KeyFingerprint[" + protectorId + ", " + status + (differs() ? ", differs from the device" : "") + "]";
    }
}
