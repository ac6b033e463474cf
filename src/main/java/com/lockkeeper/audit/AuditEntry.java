package com.lockkeeper.audit;

/**
 * One audited event: who, what, on what, with which outcome, and non-secret detail.
 * Never put a secret into any field.
 */
public record AuditEntry(Actor actor, String action, String target, Outcome outcome, String detail) {

    public static AuditEntry success(Actor actor, String action, String target, String detail) {
        return new AuditEntry(actor, action, target, Outcome.SUCCESS, detail);
    }

    public static AuditEntry refused(Actor actor, String action, String target, String detail) {
        return new AuditEntry(actor, action, target, Outcome.REFUSED, detail);
    }
}
