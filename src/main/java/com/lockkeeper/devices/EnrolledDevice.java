package com.lockkeeper.devices;

import java.time.Instant;
import java.util.UUID;

/**
 * A device as listed: never its credential, which is not stored. {@code hardwareId},
 * {@code clientVersion}, {@code lastSeenAt}, {@code decidedAt}, {@code decidedBy} and
 * {@code replacedBy} may be null; {@code unapprovedKeys}: keys it escrowed that are still marked.
 */
public record EnrolledDevice(long id, long computerId, String computer, UUID hardwareId, DeviceStatus status, Instant enrolledAt,
        String enrolledBy, String clientVersion, Instant lastSeenAt, Instant decidedAt, String decidedBy, Long replacedBy,
        long unapprovedKeys) {

    public String statusLabel() {
        return status.dbValue();
    }

    public boolean pending() {
        return status == DeviceStatus.PENDING;
    }

    /** Approved, legacy or pending: the admin may still revoke it. */
    public boolean revocable() {
        return status == DeviceStatus.ACTIVE || status == DeviceStatus.LEGACY || status == DeviceStatus.PENDING;
    }
}
