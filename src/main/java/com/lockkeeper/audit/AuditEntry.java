package com.lockkeeper.audit;

/**
 * One audited event: who, what, on what, with which outcome, and non-secret detail.
 * Never put a secret into any field.
 */
public final class AuditEntry {

    private final Actor actor;
    private final String action;
    private final String target;
    private final Outcome outcome;
    private final String detail;

    private AuditEntry(Actor actor, String action, String target, Outcome outcome, String detail) {
        this.actor = actor;
        this.action = action;
        this.target = target;
        this.outcome = outcome;
        this.detail = detail;
    }

    public static AuditEntry of(Actor actor, AuditAction action, String target, Outcome outcome, String detail) {
        return new AuditEntry(actor, action.stored(), target, outcome, detail);
    }

    public static AuditEntry success(Actor actor, AuditAction action, String target, String detail) {
        return of(actor, action, target, Outcome.SUCCESS, detail);
    }

    public static AuditEntry refused(Actor actor, AuditAction action, String target, String detail) {
        return of(actor, action, target, Outcome.REFUSED, detail);
    }

    /**
     * An entry under an action no {@link AuditAction} names. The log stores any action text; only
     * the log's own tests write such entries, to tell their records apart.
     */
    static AuditEntry success(Actor actor, String action, String target, String detail) {
        return new AuditEntry(actor, action, target, Outcome.SUCCESS, detail);
    }

    /** See {@link #success(Actor, String, String, String)}. */
    static AuditEntry refused(Actor actor, String action, String target, String detail) {
        return new AuditEntry(actor, action, target, Outcome.REFUSED, detail);
    }

    public Actor actor() {
        return actor;
    }

    /** The stored text of the action. */
    public String action() {
        return action;
    }

    public String target() {
        return target;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String detail() {
        return detail;
    }
}
