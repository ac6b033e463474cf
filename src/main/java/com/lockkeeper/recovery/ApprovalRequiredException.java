package com.lockkeeper.recovery;

/** The policy holds this reveal for a second person's approval: request it first. The message says how. */
public final class ApprovalRequiredException extends RuntimeException {

    private final String whyRequired;

    public ApprovalRequiredException(String whyRequired, String message) {
        super(message);
        this.whyRequired = whyRequired;
    }

    public String whyRequired() {
        return whyRequired;
    }
}
