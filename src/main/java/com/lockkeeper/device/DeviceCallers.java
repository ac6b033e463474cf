package com.lockkeeper.device;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.devices.DeviceAccess;
import com.lockkeeper.devices.DeviceCaller;
import com.lockkeeper.devices.DeviceIdentity;
import com.lockkeeper.tokens.TokenHolder;
import jakarta.servlet.http.HttpServletRequest;

/** The caller of a device endpoint, from the authenticated principal and the computer the body names. */
final class DeviceCallers {

    /** Sent by clients on every call; recorded on the device. */
    static final String CLIENT_VERSION = "Lockkeeper-Client-Version";

    private DeviceCallers() {
    }

    static DeviceCaller of(DeviceAccess access, Object principal, ComputerName computer, DeviceAccess.Use use,
            HttpServletRequest request) {
        String version = request.getHeader(CLIENT_VERSION);
        if (principal instanceof DeviceIdentity device) {
            return access.asDevice(device, computer, use, version);
        }
        if (principal instanceof TokenHolder token && token.device()) {
            return access.asEnrollmentToken(token.tokenName(), computer, use, version);
        }
        throw new IllegalStateException("the device API was called by a principal it does not serve");
    }
}
