package com.lockkeeper.recovery;

/**
 * Why a recovery secret is being read out, to whom and by which way: everything the audit
 * record of the reveal holds besides who, when, the key and the outcome. Never holds a secret.
 */
public record RevealRequest(String reason, String identityVerification, String requester, String notes,
        String justification, String role, String channel, String clientAddress) {

    /** The audit column's size; fields are bounded far below it, this only guards the sum. */
    private static final int MAX_DETAIL = 2000;

    public RevealRequest {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("a reason for the recovery is required");
        }
    }

    public RevealRequest(String reason, String identityVerification, String requester, String notes) {
        this(reason, identityVerification, requester, notes, null, null, null, null);
    }

    String auditDetail(String computer) {
        StringBuilder detail = new StringBuilder();
        append(detail, "computer", computer);
        append(detail, "role", role);
        append(detail, "requester", requester);
        append(detail, "identity", identityVerification);
        append(detail, "reason", reason);
        append(detail, "notes", notes);
        append(detail, "justification", justification);
        append(detail, "channel", channel);
        append(detail, "client", clientAddress);
        return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL - 1) + "…" : detail.toString();
    }

    private static void append(StringBuilder detail, String name, String value) {
        if (value == null || value.isBlank()) {
            return;
        }
        if (!detail.isEmpty()) {
            detail.append("; ");
        }
        // One record per line in any export: control characters typed into free text become spaces.
        detail.append(name).append(": ").append(value.strip().replaceAll("\\p{Cntrl}", " "));
    }
}
