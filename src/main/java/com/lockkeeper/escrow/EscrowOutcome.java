package com.lockkeeper.escrow;

/** What an escrow did. */
public enum EscrowOutcome {
    /** Stored for the first time. */
    CREATED,
    /** This exact escrow was stored already; nothing changed (a missing key package may have been added). */
    ALREADY_STORED,
    /**
     * The stored password differed from the device's (its check-in said so) and this is the
     * device's: it replaced the stored one, which is kept.
     */
    REPLACED,
    /** This recovery password ID is stored with a different password or for another volume; nothing changed. */
    CONFLICT,
    /** The volume is held for another computer; nothing changed (an administrator moves volumes). */
    VOLUME_OF_ANOTHER_COMPUTER
}
