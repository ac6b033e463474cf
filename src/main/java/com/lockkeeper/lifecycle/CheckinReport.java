package com.lockkeeper.lifecycle;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import java.util.List;
import java.util.Map;

/** What a device says of itself at its check-in. */
public record CheckinReport(ComputerName computer, List<Volume> volumes) {

    /**
     * One encrypted volume as the device sees it now. {@code driveLabel} and {@code encryptionMethod} may be null;
     * {@code verifiers} holds the verifiers the device sent, by protector (empty from clients that send none).
     */
    public record Volume(VolumeId volumeId, VolumeType volumeType, DriveLabel driveLabel, String protectionStatus,
            String encryptionMethod, List<String> keyProtectors, List<ProtectorId> recoveryPasswordIds,
            Map<ProtectorId, PasswordVerifier> verifiers) {

        public Volume {
            verifiers = verifiers == null ? Map.of() : Map.copyOf(verifiers);
        }

        public Volume(VolumeId volumeId, VolumeType volumeType, DriveLabel driveLabel, String protectionStatus,
                String encryptionMethod, List<String> keyProtectors, List<ProtectorId> recoveryPasswordIds) {
            this(volumeId, volumeType, driveLabel, protectionStatus, encryptionMethod, keyProtectors, recoveryPasswordIds, Map.of());
        }
    }
}
