package com.lockkeeper.recovery;

/** An approval request is not in the state the action needs (decided already, expired, used); the message says which. */
public final class ApprovalConflictException extends RuntimeException {

    public ApprovalConflictException(String message) {
        super(message);
    }
}
