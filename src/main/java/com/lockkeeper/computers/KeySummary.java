package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.time.Instant;

/** A recovery key's metadata, as search lists it: never a secret. */
public record KeySummary(ProtectorId protectorId, long computerId, String computerName, VolumeId volumeId, String volumeType,
        String driveLabel, KeyStatus status, Instant createdAt, Instant escrowedAt, boolean hasKeyPackage) {

    public String shortId() {
        return protectorId.shortId();
    }

    public String statusLabel() {
        return status.dbValue();
    }
}
