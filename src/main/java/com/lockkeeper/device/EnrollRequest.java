package com.lockkeeper.device;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.devices.ClientVersion;
import com.lockkeeper.devices.HardwareId;
import com.lockkeeper.http.FieldChecks;

/** The body of `POST /api/v1/devices/enroll` as sent. */
record EnrollRequest(String computer, String hardwareId, String clientVersion) {

    /** The checked values; every problem, with those {@code checks} hold already, is thrown at once. */
    Checked checked(FieldChecks checks) {
        ComputerName name = checks.required("computer", computer, ComputerName::parse);
        HardwareId hardware = checks.required("hardwareId", hardwareId, HardwareId::parse);
        String version = checks.optional("clientVersion", clientVersion, ClientVersion::parse);
        checks.throwIfAny();
        return new Checked(name, hardware, version);
    }

    record Checked(ComputerName computer, HardwareId hardwareId, String clientVersion) {
    }
}
