package com.lockkeeper.http;

/**
 * A request body bound to a record, with the checks that hold what binding found wrong (unknown
 * fields, wrong JSON types): the caller adds what its value types refuse, then throws them all.
 */
public record JsonBody<T>(T value, FieldChecks checks) {

    /** The value, for a body with nothing more to check; throws what binding found wrong, if anything. */
    public T valid() {
        checks.throwIfAny();
        return value;
    }
}
