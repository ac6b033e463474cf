package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.keys.SealedRecord;
import java.time.Instant;

/** A recovery key about to be stored. {@code keyPackage} may be null. */
public record NewKey(ProtectorId protectorId, long volumeRowId, Instant createdAt, Instant escrowedAt,
        SealedRecord password, SealedRecord keyPackage, byte[] fingerprint) {
}
