package com.lockkeeper.escrow;

import com.lockkeeper.audit.Actor;

/**
 * Who sent an escrow, and so what it may do besides storing the key. {@code deviceId}: the
 * device row that sent it, when there is one.
 */
public record EscrowOrigin(Actor actor, Long deviceId, Trust trust) {

    public EscrowOrigin {
        if (actor == null || trust == null) {
            throw new IllegalArgumentException("an escrow origin needs an actor and a trust");
        }
    }

    public enum Trust {
        /** An approved, credential-enrolled device, for its own computer: it may add the computer's users. */
        APPROVED_DEVICE,
        /** The enrollment token itself, acting as the computer's (legacy) device: a computer's first users only. */
        ENROLLMENT_TOKEN,
        /** A device not approved for the computer: the key is stored, marked, and nothing else changes. */
        UNAPPROVED
    }

    /** An escrow made with an enrollment token (an old client, or a test): the rules that held before devices enrolled. */
    public static EscrowOrigin enrollmentToken(Actor actor) {
        return new EscrowOrigin(actor, null, Trust.ENROLLMENT_TOKEN);
    }

    boolean unapproved() {
        return trust == Trust.UNAPPROVED;
    }
}
