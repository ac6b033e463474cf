package com.lockkeeper.retention;

import java.time.Instant;

/**
 * When a key of a retired computer will be purged: {@code purgeAt} (null: not as things stand) and,
 * when it will not be, why ({@code blockedBy}: the legal hold, the device's check-in, or no purge period set).
 */
public record PurgeSchedule(RetainedKey key, Instant purgeAt, String blockedBy) {

    public static final String LEGAL_HOLD = "legal hold";
    public static final String REPORTED = "reported by the device at a check-in since the retirement";
    public static final String NO_PURGE_PERIOD = "lockkeeper.retention.purge-after is not set (keys are kept)";

    public boolean dueBy(Instant now) {
        return purgeAt != null && !purgeAt.isAfter(now);
    }
}
