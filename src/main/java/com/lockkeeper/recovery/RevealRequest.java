package com.lockkeeper.recovery;

/**
 * Why a recovery secret is being read out, to whom and by which way: everything the audit
 * record of the reveal holds besides who, when, the key and the outcome. Never holds a secret.
 */
public record RevealRequest(String reason, String identityVerification, String requester, String notes,
        String justification, String role, String channel, String clientAddress, String approval, String breakGlass) {

    public RevealRequest(String reason, String identityVerification, String requester, String notes, String justification,
            String role, String channel, String clientAddress) {
        this(reason, identityVerification, requester, notes, justification, role, channel, clientAddress, null, null);
    }

    public RevealRequest {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason for the recovery is required");
        }
    }

    public RevealRequest(String reason, String identityVerification, String requester, String notes) {
        this(reason, identityVerification, requester, notes, null, null, null, null);
    }

    /** The same request, approved ({@code approval} says by whom and which request) or revealed by break glass. */
    RevealRequest with(String approval, String breakGlass) {
        return new RevealRequest(reason, identityVerification, requester, notes, justification, role, channel, clientAddress,
                approval, breakGlass);
    }

    /** What the audit record of this reveal of a key of {@code computer} says about it. */
    RevealDetails auditDetails(String computer) {
        return new RevealDetails(computer, role, requester, identityVerification, reason, notes, justification, channel,
                clientAddress, null, approval, breakGlass);
    }
}
