package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.keys.SealedRecord;
import java.time.Instant;

/**
 * A recovery key row: metadata in clear, secrets sealed. {@code keyPackage} may be null;
 * {@code deviceVerifier} is the verifier its device reported when that differed from
 * {@code fingerprint} (null otherwise): an escrow with that fingerprint replaces the password.
 */
public record StoredKey(long id, ProtectorId protectorId, VolumeId volumeId, KeyStatus status, Instant createdAt,
        Instant escrowedAt, SealedRecord password, SealedRecord keyPackage, byte[] fingerprint, byte[] deviceVerifier) {
}
