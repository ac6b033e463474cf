package com.lockkeeper.devices;

import java.util.Arrays;

/** Where a device stands with its computer. Only active and pending devices' credentials work. */
public enum DeviceStatus {
    /** Enrolled with a credential and trusted for its computer. */
    ACTIVE("active"),
    /** An old client calling with the enrollment token itself; trusted for its computer until a device enrolls. */
    LEGACY("legacy"),
    /** Another device for a computer that has one: stored, marked, changes nothing until approved. */
    PENDING("pending"),
    REJECTED("rejected"),
    REVOKED("revoked"),
    /** Another device of its computer was approved in its place. */
    REPLACED("replaced");

    private final String dbValue;

    DeviceStatus(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }

    /** A credential of a device in this status authenticates. */
    public boolean credentialWorks() {
        return this == ACTIVE || this == PENDING;
    }

    /** The device the computer trusts: it acts for its computer in full. */
    public boolean trusted() {
        return this == ACTIVE || this == LEGACY;
    }

    static DeviceStatus fromDb(String value) {
        return Arrays.stream(values()).filter(s -> s.dbValue.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown device status in the database: " + value));
    }

    @Override
    public String toString() {
        return dbValue;
    }
}
