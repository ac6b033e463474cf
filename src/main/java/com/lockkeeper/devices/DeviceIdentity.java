package com.lockkeeper.devices;

import java.time.Instant;

/**
 * The authenticated principal of a device credential ({@code lkd_…}): the device, the computer
 * (name, upper case) it is bound to, and its status when it authenticated. {@code clientVersion}
 * and {@code lastSeenAt} are as stored, so that recording them again can be skipped when unchanged.
 */
public record DeviceIdentity(long deviceId, String computer, DeviceStatus status, String clientVersion, Instant lastSeenAt) {

    public boolean pending() {
        return status == DeviceStatus.PENDING;
    }

    /** As audit records and logs name it. */
    @Override
    public String toString() {
        return computer + " (device " + deviceId + ", " + status + ")";
    }
}
