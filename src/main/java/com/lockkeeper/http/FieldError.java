package com.lockkeeper.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One thing wrong with a request: the field, for a recovery password the block (1-8), and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, Integer block, String reason) {

    public static FieldError of(String field, String reason) {
        return new FieldError(field, null, reason);
    }

    /** As a person reads it: "recoveryPassword block 3: ...". */
    public String describe() {
        return (field == null ? "" : field + (block == null ? "" : " block " + block) + ": ") + reason;
    }
}
