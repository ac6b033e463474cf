package com.lockkeeper.bitlocker;

import com.lockkeeper.support.InvalidValueException;

/** The kind of BitLocker volume, by the names Windows' APIs use. */
public enum VolumeType {
    OPERATING_SYSTEM("OperatingSystem"),
    FIXED_DATA("FixedData"),
    REMOVABLE_DATA("RemovableData");

    private final String apiName;

    VolumeType(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public static VolumeType parse(String text) {
        String name = text == null ? "" : text.strip();
        for (VolumeType type : values()) {
            if (type.apiName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new InvalidValueException("one of OperatingSystem, FixedData, RemovableData was expected");
    }
}
