package com.lockkeeper.lifecycle;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;

/**
 * An action waiting for its device, as the check-in answers it. {@code reason}: why, in the
 * answer's words ({@value #DIFFERS}), or null.
 */
public record PendingAction(ActionKind kind, VolumeId volumeId, ProtectorId protectorId, String reason) {

    /** An escrow asked because the escrowed password differs from the device's. */
    public static final String DIFFERS = "differs";

    public PendingAction(ActionKind kind, VolumeId volumeId, ProtectorId protectorId) {
        this(kind, volumeId, protectorId, null);
    }
}
