package com.lockkeeper.bitlocker;

import com.lockkeeper.support.InvalidValueException;

/**
 * The kind of BitLocker volume, by the names Windows' APIs use. {@link #UNKNOWN} is for keys imported
 * from a directory that does not record it (Active Directory's recovery objects do not): the device's
 * next check-in tells the real type, and a device never reports it.
 */
public enum VolumeType {
    OPERATING_SYSTEM("OperatingSystem"),
    FIXED_DATA("FixedData"),
    REMOVABLE_DATA("RemovableData"),
    UNKNOWN("Unknown");

    private final String apiName;

    VolumeType(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    /** Whether a device knows this type (every type but {@link #UNKNOWN}). */
    public boolean known() {
        return this != UNKNOWN;
    }

    /** A type as a device reports it: one of the three Windows names, never {@link #UNKNOWN}. */
    public static VolumeType parse(String text) {
        String name = text == null ? "" : text.strip();
        for (VolumeType type : values()) {
            if (type.known() && type.apiName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new InvalidValueException("one of OperatingSystem, FixedData, RemovableData was expected");
    }
}
