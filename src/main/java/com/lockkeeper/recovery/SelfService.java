package com.lockkeeper.recovery;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.Accounts;
import com.lockkeeper.computers.ComputerSearch;
import com.lockkeeper.computers.ComputerSummary;
import com.lockkeeper.computers.KeySummary;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.InvalidRequestException;
import java.util.List;
import java.util.OptionalLong;

/**
 * End users recovering keys of their own computers: only computers they are an associated user
 * of; a key that is not theirs and a key that does not exist get the same answer; a limited
 * number of reveals per window; every attempt audited.
 */
public final class SelfService {

    static final String REASON = "self-service recovery";

    static final String NOT_FOUND = "none of your computers has a recovery key with that password ID: check the 8 characters"
            + " on the recovery screen (after \"Recovery key ID\") and type them again, or call the helpdesk";

    /** A computer of the signed-in user and its keys (metadata only). */
    public record OwnComputer(ComputerSummary computer, List<KeySummary> keys) {
    }

    private final ComputerSearch search;
    private final RevealService reveals;
    private final AuditLog audit;
    private final SelfServiceSettings settings;
    private final SelfServiceAllowance allowance;
    private final Approvals approvals;

    SelfService(ComputerSearch search, RevealService reveals, AuditLog audit, SelfServiceSettings settings,
            SelfServiceAllowance allowance, Approvals approvals) {
        this.approvals = approvals;
        this.search = search;
        this.reveals = reveals;
        this.audit = audit;
        this.settings = settings;
        this.allowance = allowance;
    }

    public List<OwnComputer> computersOf(SignedInUser user) {
        return search.associatedWith(user.username()).stream().map(c -> new OwnComputer(c, search.keysOf(c.id()))).toList();
    }

    /** Reveals made so far in the current window, and the most allowed. */
    public long revealsInWindow(SignedInUser user) {
        return allowance.used(Accounts.bare(user.username()));
    }

    /** The limit's window, in hours, as people are told it. */
    public long windowHours() {
        return hours();
    }

    public int maxReveals() {
        return settings.maxReveals();
    }

    public RecoveryPassword reveal(SignedInUser user, String typedId, String clientAddress) {
        String prefix;
        try {
            prefix = HelpdeskRecovery.idPrefix(typedId, "recoveryPasswordId");
        } catch (InvalidRequestException e) {
            refuse(user, "key ?", "malformed password ID", clientAddress);
            throw e;
        }
        OptionalLong place = allowance.take(Accounts.bare(user.username()));
        if (place.isEmpty()) {
            refuse(user, "key " + prefix, "limit of " + settings.maxReveals() + " reveals per " + settings.window() + " reached",
                    clientAddress);
            throw new RecoveryRefusedException(null, "you have recovered " + settings.maxReveals()
                    + " keys in the last " + hours() + " hours, the most allowed: call the helpdesk, who can help you now");
        }
        try {
            return revealOwn(user, prefix, clientAddress);
        } catch (RuntimeException notRevealed) {
            allowance.giveBack(place.getAsLong());
            throw notRevealed;
        }
    }

    private RecoveryPassword revealOwn(SignedInUser user, String prefix, String clientAddress) {
        List<KeySummary> matches = search.keysByIdPrefix(prefix);
        List<KeySummary> own = matches.stream()
                .filter(key -> search.byId(key.computerId()).map(c -> c.associated(user.username())).orElse(false))
                .toList();
        if (own.isEmpty()) {
            refuse(user, "key " + prefix, matches.isEmpty() ? "no such key" : "key of a computer the user is not associated with",
                    clientAddress);
            throw new KeyNotFoundException(NOT_FOUND);
        }
        if (own.size() > 1) {
            refuse(user, "key " + prefix, "ambiguous password ID", clientAddress);
            throw new InvalidRequestException(com.lockkeeper.http.FieldError.of("recoveryPasswordId", own.size()
                    + " of your keys have a password ID starting with these characters: type the whole ID"));
        }
        ProtectorId id = own.get(0).protectorId();
        RevealRequest request = new RevealRequest(REASON, "signed in as " + user.username()
                + " via " + user.via(), user.username() + " (associated user)", null, null, user.roleNames(), "self-service",
                clientAddress);
        if (!approvals.policy().selfService()) {
            return reveals.revealAs(AuditAction.SELF_SERVICE_REVEAL, id, request, user.actor());
        }
        return revealApproved(user, own.get(0), request, clientAddress);
    }

    /**
     * With {@code lockkeeper.approval.self-service}: the reveal uses this user's approved request
     * for the key; without one, a request is sent to the approvers (or is waiting already), and
     * nothing is revealed.
     */
    private RecoveryPassword revealApproved(SignedInUser user, KeySummary key, RevealRequest request, String clientAddress) {
        ProtectorId id = key.protectorId();
        java.time.Instant now = approvals.now();
        java.util.Optional<Approval> latest = approvals.latest(user, id.hex(), Approval.PASSWORD);
        Approval.State state = latest.map(a -> a.state(now)).orElse(null);
        if (state == Approval.State.APPROVED) {
            Approval grant = latest.get();
            try {
                return reveals.revealAs(AuditAction.SELF_SERVICE_REVEAL, id, request.with("request " + grant.id() + " approved by "
                        + grant.decidedBy(), null), user.actor(), ref -> {
                            if (!approvals.use(grant, user, ref)) {
                                throw new RecoveryRefusedException(null, "your approval was used a moment ago or has just expired:"
                                        + " type the ID again to ask for a new one");
                            }
                        });
            } catch (RecoveryRefusedException e) {
                refuse(user, "key " + id, e.getMessage(), clientAddress);
                throw e;
            }
        }
        if (state == Approval.State.PENDING) {
            throw new ApprovalPendingException(latest.get().id(), "your request " + latest.get().id() + " to see this recovery"
                    + " password waits for an approver. Come back and type the ID again once it is approved (you will be told"
                    + " by mail if your account has an address), or call the helpdesk");
        }
        ComputerSummary computer = search.byId(key.computerId()).orElseThrow();
        Caller caller = new Caller(user.username(), request.identityVerification(), true, null);
        Approval created = approvals.request(approvals.draft(user, "self-service", computer.id(), computer.name(), id.hex(),
                Approval.PASSWORD, caller, new Reason(REASON, null), "self-service reveals need approval"));
        throw new ApprovalPendingException(created.id(), "your request " + created.id() + " to see this recovery password was sent"
                + " to an approver" + (state == Approval.State.DENIED ? " again (the last one was denied)" : "")
                + ". Come back and type the ID again once it is approved: the approval is valid for "
                + approvals.policy().settings().grantValidity().toMinutes() + " minutes, for one reveal");
    }

    private void refuse(SignedInUser user, String target, String why, String clientAddress) {
        audit.record(AuditEntry.refused(user.actor(), AuditAction.SELF_SERVICE_REVEAL, target,
                RevealDetails.notRevealed(why, null, null, null, clientAddress).json()));
    }

    private long hours() {
        return settings.window().toHours();
    }
}
