package com.lockkeeper.recovery;

/**
 * What the helpdesk recorded about a call, field names as in the API: who is calling
 * ({@code requester}), how their identity was checked ({@code identityVerification}, with
 * {@code identityText} for "Other"; the API may send "Other: text" instead), a justification when
 * the caller is not an associated user, the reason from the configured list and free notes.
 */
public record HelpdeskRequest(String requester, String identityVerification, String identityText, String justification,
        String reason, String notes) {
}
