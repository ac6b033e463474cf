package com.lockkeeper.lifecycle;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import java.util.List;

/** What a device says of itself at its check-in. */
public record CheckinReport(ComputerName computer, List<Volume> volumes) {

    /** One encrypted volume as the device sees it now. {@code driveLabel} and {@code encryptionMethod} may be null. */
    public record Volume(VolumeId volumeId, VolumeType volumeType, DriveLabel driveLabel, String protectionStatus,
            String encryptionMethod, List<String> keyProtectors, List<ProtectorId> recoveryPasswordIds) {
    }
}
