package com.lockkeeper.devices;

import com.lockkeeper.audit.Actor;

/**
 * Who a device call acts as, once its identity was checked against the computer it names.
 * {@code deviceId} is null for an enrollment token used for a computer that has an enrolled device.
 */
public record DeviceCaller(Long deviceId, String computer, Trust trust, Actor actor) {

    public enum Trust {
        /** A credential-enrolled device approved for the computer. */
        APPROVED,
        /** The enrollment token itself, as the computer's legacy device. */
        LEGACY,
        /** A pending device: its escrows are stored marked; it changes nothing else. */
        PENDING,
        /** An enrollment token for a computer that has an enrolled device: escrow only, stored marked. */
        UNAPPROVED_TOKEN
    }

    /** Not approved for the computer: may store an escrow (marked), and change nothing. */
    public boolean unapproved() {
        return trust == Trust.PENDING || trust == Trust.UNAPPROVED_TOKEN;
    }
}
