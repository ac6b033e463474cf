package com.lockkeeper.device;

/**
 * The endpoints of the device API: the controllers map them, and the security configuration
 * opens them to devices only (enrollment to enrollment tokens, the others to device credentials
 * and, from old clients, enrollment tokens).
 */
public final class DevicePaths {

    public static final String ENROLL = "/api/v1/devices/enroll";
    public static final String ESCROW = "/api/v1/escrow";
    public static final String CHECKIN = "/api/v1/checkin";
    public static final String EVENTS = "/api/v1/events";

    private DevicePaths() {
    }

    /** Every endpoint of the device API. */
    public static String[] all() {
        return new String[] {ENROLL, ESCROW, CHECKIN, EVENTS};
    }
}
