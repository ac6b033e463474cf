package com.lockkeeper.helpdesk;

import com.lockkeeper.recovery.HelpdeskRequest;

/**
 * The JSON body of a reveal or key-package request: what the helpdesk records about the call, all
 * text; or the {@code approvalId} of an approved request (whose recorded call is audited then), or
 * a {@code breakGlass} justification, when the approval policy wants an approval.
 */
record RevealBody(String reason, String identityVerification, String requester, String notes, String justification,
        Long approvalId, String breakGlass) {

    static final int MAX_BODY_BYTES = 16 * 1024;

    HelpdeskRequest request() {
        return new HelpdeskRequest(requester, identityVerification, null, justification, reason, notes);
    }
}
