package com.lockkeeper.devices;

/**
 * What an enrollment did, with the credential: the only moment it exists outside the device.
 * {@code computer}: the computer's name, upper case.
 */
public record Enrollment(Outcome outcome, long deviceId, String computer, String credential) {

    public enum Outcome {
        /** A new device, trusted for its computer (a new computer, or one without a device). */
        ENROLLED,
        /** The computer's device again (same hardware: a reimage, or a legacy device adopting its hardware ID). */
        REENROLLED,
        /** Another device for a computer that has one: held for an admin. */
        PENDING
    }

    @Override
    public String toString() {
        return "Enrollment[" + outcome + ", device " + deviceId + ", " + computer + ", credential redacted]";
    }
}
