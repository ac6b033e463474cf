package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
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

    /** The volume's type for a page: a key imported from a directory has none until its device checks in. */
    public String volumeTypeLabel() {
        return VolumeType.UNKNOWN.apiName().equals(volumeType) ? "not reported yet" : volumeType;
    }

    /** The drive label, or for a key imported without one, the volume by the start of its GUID. */
    public String driveLabelOrVolume() {
        return driveLabel != null ? driveLabel : "volume " + volumeId.toString().substring(0, 8) + "…";
    }

    /** The drive as an end user's page names it: its label, else its type, else (imported) the volume GUID's start. */
    public String driveText() {
        if (driveLabel != null) {
            return driveLabel;
        }
        return VolumeType.UNKNOWN.apiName().equals(volumeType) ? driveLabelOrVolume() : volumeType;
    }

    public String statusLabel() {
        return status.dbValue();
    }
}
