package com.lockkeeper.support;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A value failed validation. The reason says what is wrong and what is expected; it never
 * contains the input, which may be a secret.
 */
public class InvalidValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final int NO_BLOCK = 0;

    private final int block;

    public InvalidValueException(String reason) {
        super(Objects.requireNonNull(reason, "reason"));
        this.block = NO_BLOCK;
    }

    public InvalidValueException(String reason, int block) {
        super(Objects.requireNonNull(reason, "reason"));
        this.block = block;
    }

    public String reason() {
        return getMessage();
    }

    /** The recovery password block (1-8) the reason is about, if any. */
    public OptionalInt block() {
        return block == NO_BLOCK ? OptionalInt.empty() : OptionalInt.of(block);
    }
}
