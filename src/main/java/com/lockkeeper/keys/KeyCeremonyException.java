package com.lockkeeper.keys;

/** A key operation that cannot go ahead; the message says why and what to run next. */
public class KeyCeremonyException extends RuntimeException {

    public KeyCeremonyException(String message) {
        super(message);
    }
}
