package com.lockkeeper.keys;

/** A sealed record that does not open: altered, moved to another row, or its epoch is gone. */
public final class RecordIntegrityException extends RuntimeException {

    public RecordIntegrityException(String message) {
        super(message);
    }
}
