package com.lockkeeper.retention;

import com.lockkeeper.bitlocker.ProtectorId;
import java.time.Instant;

/**
 * A key of a retired computer, not purged. {@code onHold}: its computer is on legal hold;
 * {@code reportedSinceRetirement}: its device listed the protector at a check-in after the retirement.
 */
public record RetainedKey(long keyId, ProtectorId protectorId, String status, long computerId, String computer, String driveLabel,
        String volumeType, Instant retiredAt, String retiredReason, boolean onHold, boolean reportedSinceRetirement) {
}
