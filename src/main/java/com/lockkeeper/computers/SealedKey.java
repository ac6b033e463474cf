package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.keys.SealedRecord;

/**
 * A recovery key's sealed secrets and what they are bound to, nothing else: what the
 * re-encryption reads and writes back. {@code volumeId} is the volume GUID the secrets are sealed
 * to (for a key imported without its volume, the placeholder's). {@code keyPackage} may be null.
 */
public record SealedKey(long id, ProtectorId protectorId, VolumeId volumeId, SealedRecord password, SealedRecord keyPackage) {

    /** The same key with its secrets sealed again. */
    public SealedKey resealed(SealedRecord newPassword, SealedRecord newKeyPackage) {
        return new SealedKey(id, protectorId, volumeId, newPassword, newKeyPackage);
    }
}
