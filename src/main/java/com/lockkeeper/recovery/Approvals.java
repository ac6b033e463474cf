package com.lockkeeper.recovery;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.Accounts;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import com.lockkeeper.support.InvalidValueException;
import com.lockkeeper.support.ReadableText;
import com.lockkeeper.users.SignedInUser;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two-person approval of reveals: requests wait for an approver, who is never the requester (nor
 * the caller the key is for); an approved request is a grant its requester uses once, before it
 * expires ({@link ApprovalRepository#use}). Every request and decision is audited and mailed.
 */
public final class Approvals {

    static final int MAX_NOTE = 500;
    private static final int LIST_LIMIT = 200;

    private final ApprovalRepository repository;
    private final ApprovalPolicy policy;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final RevealNotices notices;
    private final Clock clock;

    Approvals(ApprovalRepository repository, ApprovalPolicy policy, AuditLog audit, TransactionTemplate transactions,
            RevealNotices notices, Clock clock) {
        this.repository = repository;
        this.policy = policy;
        this.audit = audit;
        this.transactions = transactions;
        this.notices = notices;
        this.clock = clock;
    }

    public ApprovalPolicy policy() {
        return policy;
    }

    public Instant now() {
        return clock.instant();
    }

    public boolean isApprover(SignedInUser user) {
        return policy.approver(user);
    }

    /** Requests waiting for a decision, for an approver; requests of the approver's own are among them but cannot be decided. */
    public List<Approval> pending(SignedInUser approver) {
        requireApprover(approver, "approvals");
        return repository.pending(clock.instant(), LIST_LIMIT);
    }

    /** The latest requests this user made, in any state. */
    public List<Approval> requestedBy(SignedInUser user) {
        return repository.requestedBy(user.username(), LIST_LIMIT);
    }

    /** One request, for its requester or an approver. */
    public Approval find(SignedInUser viewer, long id) {
        Approval approval = repository.find(id).filter(a -> "break-glass".equals(a.status()) ? policy.approver(viewer)
                : a.requestedBy().equalsIgnoreCase(viewer.username()) || policy.approver(viewer)).orElse(null);
        if (approval == null) {
            throw new KeyNotFoundException("no approval request " + id + " of yours or for you to decide: see GET /api/v1/approvals"
                    + " or the Approvals page for the requests you may see");
        }
        return approval;
    }

    /** Whether {@code user} may decide {@code approval}: an approver, and neither its requester nor its caller. */
    public boolean mayDecide(SignedInUser user, Approval approval) {
        return policy.approver(user) && !ownRequest(user, approval);
    }

    public Approval approve(SignedInUser approver, long id, String note) {
        return decide(approver, id, true, note);
    }

    public Approval deny(SignedInUser approver, long id, String note) {
        return decide(approver, id, false, note);
    }

    private Approval decide(SignedInUser approver, long id, boolean approve, String typedNote) {
        AuditAction action = approve ? AuditAction.APPROVAL_APPROVE : AuditAction.APPROVAL_DENY;
        requireApprover(approver, "approval " + id);
        String note = note(typedNote, approve);
        Approval approval = repository.find(id).filter(a -> !"break-glass".equals(a.status())).orElseThrow(() ->
                new KeyNotFoundException("no approval request " + id + ": see GET /api/v1/approvals for the requests waiting"));
        if (ownRequest(approver, approval)) {
            audit.record(AuditEntry.refused(approver.actor(), action, "approval " + id, "the approver is the requester or the caller"
                    + " of this request; requested by " + approval.requestedBy() + " for " + approval.requester()));
            throw new RecoveryRefusedException(null, "you cannot decide request " + id + ": it is your own request or the key is"
                    + " for you. Another approver has to decide it");
        }
        Instant now = clock.instant();
        Approval.State state = approval.state(now);
        if (state != Approval.State.PENDING) {
            throw new ApprovalConflictException("request " + id + " is " + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    + " and can no longer be decided" + (state == Approval.State.EXPIRED
                    ? ": the requester has to ask again" : ""));
        }
        Instant grantUntil = now.plus(policy.settings().grantValidity());
        return transactions.execute(tx -> {
            if (!repository.decide(id, approve, approver.username(), note, now, grantUntil)) {
                throw new ApprovalConflictException("request " + id + " was decided by someone else a moment ago: reload the list");
            }
            audit.record(AuditEntry.success(approver.actor(), action, "approval " + id, decisionDetail(approval, note, approve,
                    grantUntil)));
            notices.approvalDecided(approval, approve, approver.username(), note, approve ? grantUntil : null);
            return repository.find(id).orElseThrow();
        });
    }

    /** A new request, or the one this user already has waiting or approved for this key and type. */
    Approval request(Approval draft) {
        Instant now = clock.instant();
        Optional<Approval> open = repository.latest(draft.requestedBy(), draft.protectorIdHex(), draft.keyType())
                .filter(a -> a.state(now) == Approval.State.PENDING || a.state(now) == Approval.State.APPROVED);
        if (open.isPresent()) {
            return open.get();
        }
        return transactions.execute(tx -> {
            long id = repository.insert(draft);
            Approval stored = repository.find(id).orElseThrow();
            audit.record(AuditEntry.success(com.lockkeeper.audit.Actor.user(draft.requestedBy()), AuditAction.APPROVAL_REQUEST, "key " + draft.protectorIdHex(), requestDetail(stored)));
            notices.approvalRequested(stored);
            return stored;
        });
    }

    /** The draft of a request made now, waiting for {@code request-validity}. */
    Approval draft(SignedInUser user, String channel, long computerId, String computerName, String protectorIdHex, String keyType,
            Caller caller, Reason reason, String whyRequired) {
        Instant now = clock.instant();
        return new Approval(0, "pending", user.username(), user.roleNames(), channel, computerId, computerName, protectorIdHex,
                keyType, caller.account(), caller.associated(), identityLabel(caller.verification()), null, caller.justification(),
                reason.label(), reason.notes(), whyRequired, now, now.plus(policy.settings().requestValidity()), null, null, null,
                null);
    }

    /** The break-glass reveal, kept with the approvals it stands in for; written in the reveal's transaction. */
    void recordBreakGlass(Approval draft, String justification, String revealRef) {
        Instant now = clock.instant();
        long id = repository.insert(new Approval(0, "break-glass", draft.requestedBy(), draft.requestedRoles(), draft.channel(),
                draft.computerId(), draft.computerName(), draft.protectorIdHex(), draft.keyType(), draft.requester(),
                draft.associated(), draft.identityVerification(), null, draft.justification(), draft.reason(), draft.notes(),
                draft.whyRequired(), now, now, draft.requestedBy(), now, justification, now));
        repository.revealed(id, revealRef);
    }

    Optional<Approval> latest(SignedInUser user, String protectorIdHex, String keyType) {
        return repository.latest(user.username(), protectorIdHex, keyType);
    }

    Optional<Approval> byId(long id) {
        return repository.find(id);
    }

    /** Uses the grant for this reveal; false when it is not approved for this user, key and type, or has expired or been used. */
    boolean use(Approval approval, SignedInUser user, String revealRef) {
        return repository.use(approval.id(), user.username(), approval.protectorIdHex(), approval.keyType(), clock.instant(),
                revealRef);
    }

    private boolean ownRequest(SignedInUser user, Approval approval) {
        return user.username().equalsIgnoreCase(approval.requestedBy()) || Accounts.same(user.username(), approval.requestedBy())
                || Accounts.same(user.username(), approval.requester());
    }

    private void requireApprover(SignedInUser user, String target) {
        if (!policy.approver(user)) {
            audit.record(AuditEntry.refused(user.actor(), AuditAction.APPROVAL_APPROVE, target, "not an approver; roles: "
                    + user.roleNames()));
            throw new RecoveryRefusedException(null, "only " + String.join(" or ", policy.approverRoles().stream().map(Enum::name)
                    .toList()) + " may see and decide approval requests: ask an approver");
        }
    }

    private static String note(String typed, boolean approve) {
        String note = typed == null || typed.isBlank() ? null : typed.strip();
        if (note == null) {
            throw new InvalidRequestException(FieldError.of("note", "write a note for the requester and the audit log: why the"
                    + " request is " + (approve ? "approved (say, confirmed with the caller's manager)" : "denied")));
        }
        if (note.length() > MAX_NOTE) {
            throw new InvalidRequestException(FieldError.of("note", "a note has at most " + MAX_NOTE + " characters"));
        }
        try {
            ReadableText.require(note.replaceAll("\\R", " "), "the note");
        } catch (InvalidValueException e) {
            throw new InvalidRequestException(FieldError.of("note", e.reason()));
        }
        return note.replaceAll("\\R", " ");
    }

    private static String identityLabel(String verification) {
        return verification;
    }

    private static String requestDetail(Approval a) {
        return new RevealDetails(a.computerName(), a.requestedRoles(), a.requester(), a.identityVerification(), a.reason(), a.notes(),
                a.justification(), a.channel(), null, "approval required: " + a.whyRequired(), "request " + a.id() + " (pending)",
                null).json();
    }

    private static String decisionDetail(Approval a, String note, boolean approve, Instant grantUntil) {
        return new RevealDetails(a.computerName(), null, a.requester(), null, a.reason(), null, null, null, null,
                "note: " + note, "request " + a.id() + " by " + a.requestedBy() + " for key " + a.protectorIdHex() + ": "
                        + (approve ? "approved until " + grantUntil : "denied"), null).json();
    }
}
