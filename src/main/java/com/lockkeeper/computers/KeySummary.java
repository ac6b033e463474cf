package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.time.Instant;

/**
 * A recovery key's metadata, as search lists it: never a secret. {@code differsFromDevice}: the
 * device's check-in showed that the password stored is not the one it has (until its escrow
 * replaces it), so reading it out would not unlock the drive. {@code unapproved}: escrowed by a
 * device that was not approved for the computer (shown marked).
 */
public record KeySummary(ProtectorId protectorId, long computerId, String computerName, VolumeId volumeId, String volumeType,
        String driveLabel, KeyStatus status, Instant createdAt, Instant escrowedAt, boolean hasKeyPackage,
        boolean differsFromDevice, boolean unapproved) {

    public String shortId() {
        return protectorId.shortId();
    }

    public String statusLabel() {
        return status.dbValue();
    }
}
