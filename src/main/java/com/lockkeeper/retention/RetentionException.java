package com.lockkeeper.retention;

/** A retention command that cannot be done as asked; the message says what to do instead. */
public final class RetentionException extends RuntimeException {

    public RetentionException(String message) {
        super(message);
    }
}
