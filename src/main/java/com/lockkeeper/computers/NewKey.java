package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.keys.SealedRecord;
import java.time.Instant;

/**
 * A recovery key about to be stored. {@code keyPackage} and {@code deviceId} (the device that
 * escrowed it) may be null; {@code unapproved}: it came from a device not approved for its computer.
 */
public record NewKey(ProtectorId protectorId, long volumeRowId, Instant createdAt, Instant escrowedAt,
        SealedRecord password, SealedRecord keyPackage, byte[] fingerprint, Long deviceId, boolean unapproved) {
}
