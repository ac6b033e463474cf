package com.lockkeeper.lifecycle;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.time.Instant;
import java.util.List;

/** Recovery-related entries a device read from its event logs. Optional fields are null. */
public record DeviceEventsReport(ComputerName computer, List<Event> events) {

    /** BitLocker-Driver's event: a recovery password was typed on the device. */
    public static final int RECOVERY_PASSWORD_USED = 24652;

    public record Event(VolumeId volumeId, Instant time, String log, int eventId, Long recordId, ProtectorId recoveryPasswordId,
            String unlockedBy, String recoveryReason, String protectionMode, String pcrProfile, String firmwareVersion,
            String message) {

        /** A recovery password was typed on the device: BitLocker-Driver 24652, or an unlock that names it. */
        public boolean recoveryPasswordUsed() {
            return eventId == RECOVERY_PASSWORD_USED || "RecoveryPassword".equalsIgnoreCase(unlockedBy);
        }

        /** The same event sent again has the same key: its log record number if the device sent one. */
        String dedupKey(ComputerName computer) {
            String what = recordId != null ? "record " + recordId
                    : eventId + "|" + time + "|" + (volumeId == null ? "-" : volumeId.toString());
            return "device|" + computer.name() + "|" + log + "|" + what;
        }
    }
}
