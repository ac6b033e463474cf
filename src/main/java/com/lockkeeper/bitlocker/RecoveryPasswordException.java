package com.lockkeeper.bitlocker;

import com.lockkeeper.support.InvalidValueException;
import java.util.Objects;

public final class RecoveryPasswordException extends InvalidValueException {

    private static final long serialVersionUID = 1L;

    public enum Error { LENGTH, CHARACTER, CHECKSUM, RANGE }

    private final Error error;

    RecoveryPasswordException(Error error, String reason) {
        super(reason);
        this.error = Objects.requireNonNull(error, "error");
    }

    RecoveryPasswordException(Error error, String reason, int block) {
        super(reason, block);
        this.error = Objects.requireNonNull(error, "error");
    }

    public Error error() {
        return error;
    }
}
