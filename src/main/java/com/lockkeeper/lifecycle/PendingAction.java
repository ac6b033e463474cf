package com.lockkeeper.lifecycle;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;

/** An action waiting for its device, as the check-in answers it. */
public record PendingAction(ActionKind kind, VolumeId volumeId, ProtectorId protectorId) {
}
