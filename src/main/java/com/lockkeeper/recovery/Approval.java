package com.lockkeeper.recovery;

import java.time.Instant;

/**
 * A request to reveal a key that the approval policy holds for a second person, as stored: what
 * the helpdesk recorded about the call (never a secret), and the decision. Its {@link #state} at
 * a moment: pending, approved (a grant, until {@code expiresAt}), denied, used, expired, or
 * break-glass (a reveal without approval, kept for the record).
 */
public record Approval(long id, String status, String requestedBy, String requestedRoles, String channel, long computerId,
        String computerName, String protectorIdHex, String keyType, String requester, boolean associated,
        String identityVerification, String identityText, String justification, String reason, String notes,
        String whyRequired, Instant requestedAt, Instant expiresAt, String decidedBy, Instant decidedAt, String decisionNote,
        Instant usedAt) {

    public static final String PASSWORD = "password";
    public static final String KEY_PACKAGE = "key-package";

    public enum State { PENDING, APPROVED, DENIED, USED, EXPIRED, BREAK_GLASS }

    public State state(Instant now) {
        return switch (status) {
            case "pending" -> now.isBefore(expiresAt) ? State.PENDING : State.EXPIRED;
            case "approved" -> now.isBefore(expiresAt) ? State.APPROVED : State.EXPIRED;
            case "denied" -> State.DENIED;
            case "used" -> State.USED;
            default -> State.BREAK_GLASS;
        };
    }

    /** The 8 characters of the password ID the recovery screen shows. */
    public String shortId() {
        return protectorIdHex.substring(0, 8);
    }

    /** As messages name the key type. */
    public String keyTypeLabel() {
        return KEY_PACKAGE.equals(keyType) ? "key package" : "recovery password";
    }

    /** What the helpdesk recorded, to check and audit again at the reveal. */
    public HelpdeskRequest request() {
        return new HelpdeskRequest(requester, identityVerification, identityText, justification, reason, notes);
    }
}
