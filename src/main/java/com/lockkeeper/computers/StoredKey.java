package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.SealedRecord;
import java.time.Instant;

/**
 * A recovery key row: metadata in clear, secrets sealed. {@code keyPackage} may be null;
 * {@code deviceVerifier} is the verifier its device reported when that differed from
 * {@code fingerprint} (null otherwise): an escrow with that fingerprint replaces the password.
 * {@code volumeId} is the volume the key is on; {@code sealedTo} the volume GUID its secrets and
 * fingerprint are bound to: the same, except for a key imported without its volume and attached
 * to it later (it stays bound to the placeholder it was sealed with).
 */
public record StoredKey(long id, ProtectorId protectorId, VolumeId volumeId, KeyStatus status, Instant createdAt,
        Instant escrowedAt, SealedRecord password, SealedRecord keyPackage, byte[] fingerprint, byte[] deviceVerifier,
        VolumeId sealedTo) {

    /** What the recovery password is sealed to: open it with this. */
    public RecordBinding passwordBinding() {
        return RecordBinding.recoveryPassword(protectorId, sealedTo);
    }

    /** What the key package is sealed to. */
    public RecordBinding keyPackageBinding() {
        return RecordBinding.keyPackage(protectorId, sealedTo);
    }
}
