package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.keys.SealedRecord;

/**
 * A recovery key's sealed secrets and what they are bound to, nothing else: what the
 * re-encryption reads and writes back. {@code keyPackage} may be null.
 */
public record SealedKey(long id, ProtectorId protectorId, VolumeId volumeId, SealedRecord password, SealedRecord keyPackage) {

    /** The same key with its secrets sealed again. */
    public SealedKey resealed(SealedRecord newPassword, SealedRecord newKeyPackage) {
        return new SealedKey(id, protectorId, volumeId, newPassword, newKeyPackage);
    }
}
