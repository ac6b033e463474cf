package com.lockkeeper.recovery;

/** A rule of the recovery procedure says no (role, association, rate limit). The message says what to do instead. */
public final class RecoveryRefusedException extends RuntimeException {

    private final String field;

    public RecoveryRefusedException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The request field the refusal is about, or null. */
    public String field() {
        return field;
    }
}
