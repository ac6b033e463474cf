package com.lockkeeper.devices;

/**
 * A device call refused for who made it, answered 403 with the problem {@link #type}: the body
 * names another computer than the device's ({@value #WRONG_COMPUTER}), or the call needs a device
 * credential and came with an enrollment token ({@value #CREDENTIAL_REQUIRED}). Nothing was changed.
 */
public final class DeviceRefusedException extends RuntimeException {

    public static final String WRONG_COMPUTER = "wrong-computer";
    public static final String CREDENTIAL_REQUIRED = "device-credential-required";

    private final String type;
    private final String title;

    DeviceRefusedException(String type, String title, String detail) {
        super(detail);
        this.type = type;
        this.title = title;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }
}
