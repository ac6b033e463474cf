package com.lockkeeper.http;

import java.util.List;

/** A request that is malformed; answered with 400 and the list of what is wrong. Never carries input values. */
public final class InvalidRequestException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidRequestException(List<FieldError> errors) {
        super(errors.size() == 1 ? describe(errors.get(0)) : errors.size() + " fields are invalid");
        this.errors = List.copyOf(errors);
    }

    public InvalidRequestException(FieldError error) {
        this(List.of(error));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String describe(FieldError error) {
        return (error.field() == null ? "" : error.field() + ": ") + error.reason();
    }
}
