package com.lockkeeper.computers;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.SealedRecord;
import java.time.Instant;
import java.util.List;

/**
 * A key as an export to another installation reads it: where it is, what it is sealed to, its
 * status and its computer's associated users; secrets still sealed. {@code driveLabel},
 * {@code domain} and {@code keyPackage} may be null.
 */
public record ExportedKey(long id, ProtectorId protectorId, String computer, String domain, VolumeId volumeId,
        boolean placeholder, String volumeType, String driveLabel, KeyStatus status, Instant createdAt, VolumeId sealedTo,
        SealedRecord password, SealedRecord keyPackage, List<String> users) {

    public RecordBinding passwordBinding() {
        return RecordBinding.recoveryPassword(protectorId, sealedTo);
    }

    public RecordBinding keyPackageBinding() {
        return RecordBinding.keyPackage(protectorId, sealedTo);
    }

    @Override
    public String toString() {
        return "ExportedKey[" + protectorId + ", " + computer + ", sealed]";
    }
}
