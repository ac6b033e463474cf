package com.lockkeeper.computers;

/**
 * Where a computer's associated user came from, stored with each association. Users that an
 * administrator or the directory set ({@link #protectedFromDevices()}) are never widened by a device.
 */
public enum UserSource {
    /** Reported by an approved, credential-enrolled device of the computer. */
    DEVICE("device"),
    /** Reported in an escrow made with an enrollment token itself (an old client): a computer's first users only. */
    ENROLLMENT_TOKEN("enrollment-token"),
    /** From `lockkeeper import`: a computer's first users only. */
    IMPORT("import"),
    ADMIN("admin"),
    DIRECTORY("directory"),
    /** Associated before sources were recorded. */
    UNRECORDED("unrecorded");

    private final String dbValue;

    UserSource(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }

    /** Associations a device may not add to: set by someone, or of unknown origin. */
    public boolean protectedFromDevices() {
        return this == IMPORT || this == ADMIN || this == DIRECTORY || this == UNRECORDED;
    }
}
