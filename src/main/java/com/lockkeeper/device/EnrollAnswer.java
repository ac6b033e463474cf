package com.lockkeeper.device;

import com.lockkeeper.devices.Enrollment;

/** The answer to an enrollment: the credential is in it once, and nowhere else. */
record EnrollAnswer(String status, long deviceId, String computer, String credential) {

    static EnrollAnswer of(Enrollment enrollment) {
        return new EnrollAnswer(enrollment.outcome() == Enrollment.Outcome.PENDING ? "pending" : "enrolled", enrollment.deviceId(),
                enrollment.computer(), enrollment.credential());
    }

    @Override
    public String toString() {
        return "EnrollAnswer[" + status + ", device " + deviceId + ", " + computer + ", credential redacted]";
    }
}
