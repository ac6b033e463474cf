package com.lockkeeper.recovery;

/**
 * Why a recovery secret is being read out, to whom and by which way: everything the audit
 * record of the reveal holds besides who, when, the key and the outcome. Never holds a secret.
 */
public record RevealRequest(String reason, String identityVerification, String requester, String notes,
        String justification, String role, String channel, String clientAddress) {

    public RevealRequest {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason for the recovery is required");
        }
    }

    public RevealRequest(String reason, String identityVerification, String requester, String notes) {
        this(reason, identityVerification, requester, notes, null, null, null, null);
    }

    /** What the audit record of this reveal of a key of {@code computer} says about it. */
    RevealDetails auditDetails(String computer) {
        return new RevealDetails(computer, role, requester, identityVerification, reason, notes, justification, channel,
                clientAddress, null);
    }
}
