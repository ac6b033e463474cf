package com.lockkeeper.helpdesk;

import com.lockkeeper.recovery.HelpdeskRequest;

/** The JSON body of a reveal or key-package request: what the helpdesk records about the call, all text. */
record RevealBody(String reason, String identityVerification, String requester, String notes, String justification) {

    static final int MAX_BODY_BYTES = 16 * 1024;

    HelpdeskRequest request() {
        return new HelpdeskRequest(requester, identityVerification, null, justification, reason, notes);
    }
}
