package com.lockkeeper.analysis;

import java.time.Instant;

/**
 * One row of {@code recovery_event}: a device's event log entry, or a reveal by the helpdesk,
 * self-service or the API with its recorded reason. Never holds a secret.
 */
public record EventRecord(long id, long computerId, String computerName, String driveLabel, String protectorId,
        Instant occurredAt, String source, String eventLog, Integer eventId, String unlockedBy, String recoveryReason,
        String protectionMode, String pcrProfile, String firmwareVersion, String message, Instant receivedAt) {

    /** BitLocker-Driver 24652, BitLocker-API 782/805: a recovery password unlocked the volume. */
    public static final java.util.Set<Integer> UNLOCKS = java.util.Set.of(24652, 782, 805);
    /** BitLocker-API 521/522/523: PCR mismatch, boot application changed, boot configuration changed. */
    public static final java.util.Set<Integer> BOOT_CHANGES = java.util.Set.of(521, 522, 523);

    public boolean fromDevice() {
        return "device".equals(source);
    }

    /** A recovery: a reveal (a person read the password out) or a device's unlock with a recovery password. */
    public boolean recovery() {
        return !fromDevice() || (eventId != null && UNLOCKS.contains(eventId));
    }

    public boolean bootChange() {
        return fromDevice() && eventId != null && BOOT_CHANGES.contains(eventId);
    }

    /** What happened, in words. */
    public String what() {
        if (!fromDevice()) {
            return "Recovery password revealed (" + source + ")";
        }
        if (eventId == null) {
            return "Device event";
        }
        return switch (eventId) {
            case 24652 -> "A recovery password was used to start Windows (24652)";
            case 782 -> "Volume unlocked with a recovery password (782)";
            case 805 -> "Volume unlocked in Windows RE (805)";
            case 521 -> "TPM platform validation failed: PCR mismatch (521)";
            case 522 -> "Boot application changed (522)";
            case 523 -> "Boot configuration data (BCD) changed (523)";
            case 530 -> "Locked out after too many PIN attempts (530)";
            default -> "Device event " + eventId;
        };
    }

    public String shortProtectorId() {
        return protectorId == null ? null : protectorId.substring(0, Math.min(8, protectorId.length()));
    }
}
