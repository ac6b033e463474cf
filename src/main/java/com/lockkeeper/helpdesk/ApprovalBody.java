package com.lockkeeper.helpdesk;

import com.lockkeeper.recovery.HelpdeskRequest;

/**
 * The JSON body of {@code POST /api/v1/approvals}: the key, {@code keyType} ("recovery-password",
 * the default, or "key-package") and what the helpdesk records about the call, as for a reveal.
 */
record ApprovalBody(String recoveryPasswordId, String keyType, String reason, String identityVerification, String requester,
        String notes, String justification) {

    HelpdeskRequest request() {
        return new HelpdeskRequest(requester, identityVerification, null, justification, reason, notes);
    }

    boolean keyPackage() {
        return "key-package".equals(keyType);
    }
}
