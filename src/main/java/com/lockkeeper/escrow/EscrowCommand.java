package com.lockkeeper.escrow;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import java.time.Instant;
import java.util.List;

/**
 * A validated escrow: every field already a domain value. {@code driveLabel}, {@code keyPackage}
 * and {@code createdAt} may be null.
 */
public record EscrowCommand(ComputerName computer, VolumeId volumeId, VolumeType volumeType, DriveLabel driveLabel,
        ProtectorId recoveryPasswordId, RecoveryPassword recoveryPassword, byte[] keyPackage, List<String> users,
        Instant createdAt) {

    @Override
    public String toString() {
        return "EscrowCommand[" + computer + ", volume " + volumeId + ", " + recoveryPasswordId + ", secrets redacted]";
    }
}
