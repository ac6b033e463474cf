package com.lockkeeper.recovery;

/** Why a recovery password is being read out, and to whom: recorded with the reveal. */
public record RevealRequest(String reason, String identityVerification, String requester, String notes) {

    public RevealRequest {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason for the recovery is required");
        }
    }

    String auditDetail() {
        return "reason: " + reason
                + (requester == null ? "" : "; requester: " + requester)
                + (identityVerification == null ? "" : "; identity: " + identityVerification)
                + (notes == null || notes.isBlank() ? "" : "; notes: " + notes);
    }
}
