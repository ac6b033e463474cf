package com.lockkeeper.recovery;

/** A self-service reveal waits for approval: the request was sent now, or earlier. Nothing was revealed. */
public final class ApprovalPendingException extends RuntimeException {

    private final long requestId;

    public ApprovalPendingException(long requestId, String message) {
        super(message);
        this.requestId = requestId;
    }

    public long requestId() {
        return requestId;
    }
}
