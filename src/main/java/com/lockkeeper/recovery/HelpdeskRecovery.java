package com.lockkeeper.recovery;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.ComputerSearch;
import com.lockkeeper.computers.ComputerSummary;
import com.lockkeeper.computers.KeySummary;
import com.lockkeeper.support.InvalidValueException;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.support.ReadableText;
import com.lockkeeper.http.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The BitLocker recovery procedure for helpdesk staff, step by step: find the computer, record and
 * check the caller, pick the key (by password ID when there are several), record the reason,
 * reveal. The web flow calls the steps one by one; the API in one request; both end in
 * {@link #reveal}, which checks every rule again before anything is decrypted.
 */
public final class HelpdeskRecovery {

    public static final int SHORT_ID_DIGITS = 8;
    static final int MAX_ACCOUNT = 256;
    static final int MAX_TEXT = 500;
    static final String CHANNEL_WEB = "helpdesk-web";

    private final ComputerSearch search;
    private final RevealService reveals;
    private final RecoveryChoices choices;
    private final AuditLog audit;
    private final Approvals approvals;

    /** A reveal checked against every rule: the key, its computer, the caller and what the audit record will say. */
    private record Checked(KeySummary key, ComputerSummary computer, Caller caller, Reason reason, RevealRequest request) {
    }

    HelpdeskRecovery(ComputerSearch search, RevealService reveals, RecoveryChoices choices, AuditLog audit, Approvals approvals) {
        this.approvals = approvals;
        this.search = search;
        this.reveals = reveals;
        this.choices = choices;
        this.audit = audit;
    }

    public RecoveryChoices choices() {
        return choices;
    }

    /** Step 1: a name, an FQDN or a whole drive label (its first word is the name), any case. */
    public SearchResult findComputer(String text) {
        String typed = text == null ? "" : text.strip();
        if (typed.isEmpty()) {
            throw new InvalidRequestException(FieldError.of("name",
                    "type the computer name, its full DNS name, or the drive label the recovery screen shows"));
        }
        String firstWord = typed.split("\\s+", 2)[0];
        Optional<ComputerSummary> exact = Optional.empty();
        try {
            exact = search.byName(ComputerName.parse(firstWord).name());
        } catch (InvalidValueException e) {
            // not a whole valid name: it may still be part of one
        }
        if (exact.isPresent()) {
            return new SearchResult(exact, List.of());
        }
        String hostPart = firstWord.split("\\.", 2)[0];
        return new SearchResult(Optional.empty(), hostPart.isEmpty() ? List.of() : search.nameContains(hostPart));
    }

    public Optional<ComputerSummary> computer(long id) {
        return search.byId(id);
    }

    /** The computer's keys, newest first. */
    public List<KeySummary> keysOf(ComputerSummary computer) {
        return search.keysOf(computer.id());
    }

    /** The global search by password ID: every key whose ID starts with the typed digits (8 or more). */
    public List<KeySummary> keysById(String typed, String field) {
        return search.keysByIdPrefix(idPrefix(typed, field));
    }

    /** The one key whose password ID starts with the typed digits. */
    public KeySummary keyById(String typed, String field) {
        String prefix = idPrefix(typed, field);
        List<KeySummary> matches = search.keysByIdPrefix(prefix);
        if (matches.isEmpty()) {
            throw new KeyNotFoundException("no recovery key has a password ID starting with " + prefix
                    + ": ask the caller to read the ID on the recovery screen again, or search by computer name");
        }
        if (matches.size() > 1) {
            throw new AmbiguousIdException(prefix, matches);
        }
        return matches.get(0);
    }

    /** Step 2: who is calling and how they were verified; only advanced helpdesk goes on for someone not associated. */
    public Caller checkCaller(SignedInUser staff, ComputerSummary computer, HelpdeskRequest request) {
        requireHelpdesk(staff);
        List<FieldError> errors = new ArrayList<>();
        Caller caller = caller(staff, computer, request, errors);
        throwIfAny(errors);
        return caller;
    }

    /** Step 3: the key of this computer the caller needs; the password ID is required when there are several. */
    public KeySummary chooseKey(ComputerSummary computer, String typedId) {
        List<KeySummary> keys = search.keysOf(computer.id());
        if (keys.isEmpty()) {
            throw new InvalidRequestException(FieldError.of("recoveryPasswordId", computer.name()
                    + " has no escrowed recovery key: search by the password ID instead, or check that the device escrows"));
        }
        if (typedId == null || typedId.isBlank()) {
            if (keys.size() == 1) {
                return keys.get(0);
            }
            throw new InvalidRequestException(FieldError.of("recoveryPasswordId", computer.name() + " has " + keys.size()
                    + " recovery keys: ask the caller for the 8-character password ID on the recovery screen and type it"));
        }
        String prefix = idPrefix(typedId, "recoveryPasswordId");
        List<KeySummary> matches = keys.stream().filter(k -> k.protectorId().hex().startsWith(prefix)).toList();
        if (matches.isEmpty()) {
            throw new InvalidRequestException(FieldError.of("recoveryPasswordId", "no recovery key of " + computer.name()
                    + " has a password ID starting with " + prefix
                    + ": ask the caller to read it again, or search all computers by password ID"));
        }
        if (matches.size() > 1) {
            throw new InvalidRequestException(FieldError.of("recoveryPasswordId", matches.size() + " keys of " + computer.name()
                    + " have a password ID starting with " + prefix + ": type more digits of the ID"));
        }
        return matches.get(0);
    }

    /** Step 4: a reason from the list, with notes when the reason needs them. */
    public Reason checkReason(HelpdeskRequest request) {
        List<FieldError> errors = new ArrayList<>();
        Reason reason = reason(request, errors);
        throwIfAny(errors);
        return reason;
    }

    /** Step 5: every rule checked again, then the audited reveal; refused when the policy wants an approval first. */
    public RecoveryPassword reveal(SignedInUser staff, ProtectorId id, HelpdeskRequest request, String channel, String clientAddress) {
        return reveal(staff, id, request, channel, clientAddress, null, null);
    }

    /**
     * Step 5 with what allows it when the policy wants an approval: the grant of an approved request
     * ({@code approvalId}: its own recorded call is audited, whatever {@code request} says), or
     * break glass ({@code breakGlass}, the justification) for the roles that may.
     */
    public RecoveryPassword reveal(SignedInUser staff, ProtectorId id, HelpdeskRequest request, String channel, String clientAddress,
            Long approvalId, String breakGlass) {
        if (approvalId != null) {
            Approval approval = grant(staff, id, approvalId, Approval.PASSWORD);
            Checked checked = checked(staff, id, approval.request(), channel, clientAddress);
            return withGrant(staff, approval, () -> reveals.revealAs(AuditAction.REVEAL, id, approved(checked, approval), staff.actor(),
                    ref -> use(staff, approval, ref)));
        }
        Checked checked = checked(staff, id, request, channel, clientAddress);
        Optional<String> why = whyRequired(staff, checked, false);
        if (why.isEmpty()) {
            return reveals.reveal(id, checked.request(), staff.actor());
        }
        String justification = breakGlass(staff, checked, why.get(), breakGlass, AuditAction.REVEAL, id);
        Approval draft = draft(staff, checked, Approval.PASSWORD, why.get());
        return reveals.revealAs(AuditAction.REVEAL, id, checked.request().with(null, justification), staff.actor(),
                ref -> approvals.recordBreakGlass(draft, justification, ref));
    }

    /** The key package for repair-bde: advanced helpdesk only, with the same procedure and audit as a reveal. */
    public byte[] keyPackage(SignedInUser staff, ProtectorId id, HelpdeskRequest request, String channel, String clientAddress) {
        return keyPackage(staff, id, request, channel, clientAddress, null, null);
    }

    public byte[] keyPackage(SignedInUser staff, ProtectorId id, HelpdeskRequest request, String channel, String clientAddress,
            Long approvalId, String breakGlass) {
        if (!staff.has(Role.ADVANCED_HELPDESK)) {
            auditRefusal(staff, AuditAction.REVEAL_KEY_PACKAGE, "key " + id, "this role may not download key packages", null, null);
            throw new RecoveryRefusedException(null, "only ADVANCED_HELPDESK may download key packages: ask an advanced"
                    + " helpdesk colleague, or give the caller the recovery password");
        }
        if (approvalId != null) {
            Approval approval = grant(staff, id, approvalId, Approval.KEY_PACKAGE);
            Checked checked = checked(staff, id, approval.request(), channel, clientAddress);
            return withGrant(staff, approval, () -> reveals.revealKeyPackage(id, approved(checked, approval), staff.actor(),
                    ref -> use(staff, approval, ref)));
        }
        Checked checked = checked(staff, id, request, channel, clientAddress);
        Optional<String> why = whyRequired(staff, checked, true);
        if (why.isEmpty()) {
            return reveals.revealKeyPackage(id, checked.request(), staff.actor());
        }
        String justification = breakGlass(staff, checked, why.get(), breakGlass, AuditAction.REVEAL_KEY_PACKAGE, id);
        Approval draft = draft(staff, checked, Approval.KEY_PACKAGE, why.get());
        return reveals.revealKeyPackage(id, checked.request().with(null, justification), staff.actor(),
                ref -> approvals.recordBreakGlass(draft, justification, ref));
    }

    /** Why the policy wants an approval before this reveal (or key package), or empty; checks the call as a reveal would. */
    public Optional<String> approvalRequired(SignedInUser staff, ProtectorId id, HelpdeskRequest request, boolean keyPackage) {
        return whyRequired(staff, checked(staff, id, request, null, null), keyPackage);
    }

    /** Whether this user may reveal without approval (break glass), with a justification. */
    public boolean mayBreakGlass(SignedInUser staff) {
        return approvals.policy().breakGlass(staff);
    }

    public int breakGlassMinimum() {
        return approvals.policy().settings().breakGlassMinJustification();
    }

    /**
     * The last step when the policy wants an approval: the request, with the call as recorded,
     * waits for an approver. A request of this user for this key that waits or is approved
     * already is returned instead of a second one.
     */
    public Approval requestApproval(SignedInUser staff, ProtectorId id, HelpdeskRequest request, boolean keyPackage, String channel,
            String clientAddress) {
        if (keyPackage && !staff.has(Role.ADVANCED_HELPDESK)) {
            throw new RecoveryRefusedException(null, "only ADVANCED_HELPDESK may download key packages: ask an advanced"
                    + " helpdesk colleague, or give the caller the recovery password");
        }
        Checked checked = checked(staff, id, request, channel, clientAddress);
        String why = whyRequired(staff, checked, keyPackage).orElseThrow(() -> new InvalidRequestException(FieldError.of(null,
                "this reveal needs no approval: reveal it (POST /api/v1/recovery-keys/" + id.shortId() + "/reveal)")));
        return approvals.request(draft(staff, checked, keyPackage ? Approval.KEY_PACKAGE : Approval.PASSWORD, why));
    }

    /** An approved request of this user for this key and type, checked before anything is opened; the grant is used in the reveal. */
    private Approval grant(SignedInUser staff, ProtectorId id, long approvalId, String keyType) {
        requireHelpdesk(staff);
        AuditAction action = Approval.KEY_PACKAGE.equals(keyType) ? AuditAction.REVEAL_KEY_PACKAGE : AuditAction.REVEAL;
        Approval approval = approvals.byId(approvalId).filter(a -> a.requestedBy().equalsIgnoreCase(staff.username())
                && a.protectorIdHex().equals(id.hex()) && a.keyType().equals(keyType)).orElse(null);
        if (approval == null) {
            auditRefusal(staff, action, "key " + id, "approval " + approvalId + " is not this user's request for this key", null, null);
            throw new RecoveryRefusedException("approvalId", "approval request " + approvalId + " is not your request for this"
                    + " key: use the ID of your own request (GET /api/v1/approvals shows them)");
        }
        Approval.State state = approval.state(approvals.now());
        if (state != Approval.State.APPROVED) {
            String why = switch (state) {
                case PENDING -> "request " + approvalId + " still waits for an approver: reveal once it is approved";
                case DENIED -> "request " + approvalId + " was denied by " + approval.decidedBy() + " (" + approval.decisionNote()
                        + "): nothing may be revealed with it";
                case USED -> "the approval of request " + approvalId + " was used already, for one reveal: request again";
                default -> "request " + approvalId + " has expired: request approval again";
            };
            auditRefusal(staff, action, "key " + id, why, approval.computerName(), approval.requester());
            throw new RecoveryRefusedException("approvalId", why);
        }
        return approval;
    }

    private RevealRequest approved(Checked checked, Approval approval) {
        return checked.request().with("request " + approval.id() + " approved by " + approval.decidedBy(), null);
    }

    private void use(SignedInUser staff, Approval approval, String ref) {
        if (!approvals.use(approval, staff, ref)) {
            throw new GrantUsedException("the approval of request " + approval.id() + " was used a moment ago or has just"
                    + " expired: nothing was revealed; request approval again");
        }
    }

    /** A reveal with a grant; when the grant was used by another reveal at the same moment, the refusal is audited. */
    private <T> T withGrant(SignedInUser staff, Approval approval, java.util.function.Supplier<T> reveal) {
        try {
            return reveal.get();
        } catch (GrantUsedException e) {
            auditRefusal(staff, Approval.KEY_PACKAGE.equals(approval.keyType()) ? AuditAction.REVEAL_KEY_PACKAGE : AuditAction.REVEAL,
                    "key " + ProtectorId.fromHex(approval.protectorIdHex()), e.getMessage(), approval.computerName(),
                    approval.requester());
            throw new RecoveryRefusedException("approvalId", e.getMessage());
        }
    }

    /** Thrown inside the reveal's transaction when its grant is gone, to roll the reveal back. */
    private static final class GrantUsedException extends RuntimeException {
        GrantUsedException(String message) {
            super(message);
        }
    }

    private Optional<String> whyRequired(SignedInUser staff, Checked checked, boolean keyPackage) {
        return approvals.policy().whyRequired(staff, checked.computer().name(), checked.caller().associated(), keyPackage);
    }

    /** The break-glass justification when this user may and gave one long enough; else the refusal that an approval is needed. */
    private String breakGlass(SignedInUser staff, Checked checked, String why, String typed, AuditAction action, ProtectorId id) {
        String justification = trimmed(typed);
        if (justification == null) {
            auditRefusal(staff, action, "key " + id, "approval required: " + why, checked.computer().name(),
                    checked.caller().account());
            throw new ApprovalRequiredException(why, "this reveal needs a second person's approval (" + why + "): request it"
                    + " (the helpdesk's last step, or POST /api/v1/approvals) and reveal once an approver has approved it"
                    + (mayBreakGlass(staff) ? "; or break glass with a justification, which security officers are told of" : ""));
        }
        if (!mayBreakGlass(staff)) {
            auditRefusal(staff, action, "key " + id, "break glass refused: this role may not", checked.computer().name(),
                    checked.caller().account());
            throw new RecoveryRefusedException("breakGlass", "your roles may not reveal without approval: request approval instead");
        }
        int minimum = breakGlassMinimum();
        List<FieldError> errors = new ArrayList<>();
        if (justification.length() < minimum) {
            errors.add(FieldError.of("breakGlass", "a break-glass justification has at least " + minimum + " characters: say"
                    + " why this cannot wait for an approver"));
        } else if (justification.length() > MAX_TEXT) {
            errors.add(FieldError.of("breakGlass", "a break-glass justification has at most " + MAX_TEXT + " characters"));
        } else {
            hidden(justification.replaceAll("\\R", " "), "breakGlass", "the justification", errors);
        }
        throwIfAny(errors);
        return justification.replaceAll("\\R", " ");
    }

    private Approval draft(SignedInUser staff, Checked checked, String keyType, String why) {
        return approvals.draft(staff, checked.request().channel() == null ? "helpdesk" : checked.request().channel(),
                checked.computer().id(), checked.computer().name(), checked.key().protectorId().hex(), keyType, checked.caller(),
                checked.reason(), why);
    }

    private Checked checked(SignedInUser staff, ProtectorId id, HelpdeskRequest request, String channel, String clientAddress) {
        requireHelpdesk(staff);
        KeySummary key = search.key(id).orElseThrow(() -> new KeyNotFoundException("no recovery key has the ID " + id
                + ": check the ID on the recovery screen, or search by computer name"));
        ComputerSummary computer = search.byId(key.computerId()).orElseThrow();
        List<FieldError> errors = new ArrayList<>();
        Caller caller = caller(staff, computer, request, errors);
        Reason reason = reason(request, errors);
        throwIfAny(errors);
        return new Checked(key, computer, caller, reason, new RevealRequest(reason.label(), caller.verification(),
                caller.account() + (caller.associated() ? " (associated user)" : " (not an associated user)"),
                reason.notes(), caller.justification(), staff.roleNames(),
                channel == null ? null : channel + " via " + staff.via(), clientAddress));
    }

    private Caller caller(SignedInUser staff, ComputerSummary computer, HelpdeskRequest request, List<FieldError> errors) {
        String account = trimmed(request.requester());
        if (account == null) {
            errors.add(FieldError.of("requester", "type the caller's account name (like CORP\\alice or alice@corp.example.com)"));
        } else if (account.length() > MAX_ACCOUNT) {
            errors.add(FieldError.of("requester", "an account name has at most " + MAX_ACCOUNT + " characters"));
        } else if (hidden(account, "requester", "the account name", errors)) {
            account = null;
        }
        String verification = verification(request, errors);
        boolean associated = account != null && computer.associated(account);
        String justification = trimmed(request.justification());
        if (justification != null && justification.length() > MAX_TEXT) {
            errors.add(FieldError.of("justification", "a justification has at most " + MAX_TEXT + " characters"));
        }
        if (justification != null) {
            hidden(justification, "justification", "the justification", errors);
        }
        if (account != null && !associated) {
            if (!staff.has(Role.ADVANCED_HELPDESK)) {
                auditRefusal(staff, AuditAction.REVEAL, "computer " + computer.name(), "the caller is not an associated user",
                        computer.name(), account);
                throw new RecoveryRefusedException("requester", account + " is not an associated user of " + computer.name()
                        + ": only ADVANCED_HELPDESK may go on, with a justification. Check the account name, or hand the call"
                        + " to an advanced helpdesk colleague");
            }
            if (justification == null) {
                errors.add(FieldError.of("justification", account + " is not an associated user of " + computer.name()
                        + ": write why this caller may have the key (for example, the user's manager on site)"));
            }
        }
        return new Caller(account, verification, associated, associated ? null : justification);
    }

    private String verification(HelpdeskRequest request, List<FieldError> errors) {
        String typed = trimmed(request.identityVerification());
        String text = trimmed(request.identityText());
        if (typed != null && text == null && typed.contains(":")) {
            int colon = typed.indexOf(':');
            text = trimmed(typed.substring(colon + 1));
            typed = typed.substring(0, colon).strip();
        }
        Optional<Choice> method = Choice.find(choices.identityMethods(), typed);
        if (method.isEmpty()) {
            errors.add(FieldError.of("identityVerification", "choose how the caller's identity was verified, one of: "
                    + Choice.shownAll(choices.identityMethods())));
            return null;
        }
        String label = method.get().label();
        if (method.get().needsNotes()) {
            if (text == null) {
                errors.add(FieldError.of("identityText", "\"" + label + "\" needs a description of how the identity was verified"));
                return label;
            }
            if (text.length() > MAX_TEXT) {
                errors.add(FieldError.of("identityText", "the description has at most " + MAX_TEXT + " characters"));
            }
            hidden(text, "identityText", "the description", errors);
            return label + ": " + text;
        }
        return label;
    }

    private Reason reason(HelpdeskRequest request, List<FieldError> errors) {
        String notes = trimmed(request.notes());
        if (notes != null && notes.length() > MAX_TEXT) {
            errors.add(FieldError.of("notes", "notes have at most " + MAX_TEXT + " characters"));
        }
        if (notes != null) {
            hidden(notes.replaceAll("\\R", " "), "notes", "the notes", errors);
        }
        Optional<Choice> reason = Choice.find(choices.reasons(), trimmed(request.reason()));
        if (reason.isEmpty()) {
            errors.add(FieldError.of("reason", (trimmed(request.reason()) == null ? "a reason is required" : "unknown reason")
                    + ": choose why the recovery was needed, one of: " + Choice.shownAll(choices.reasons())));
            return new Reason(null, notes);
        }
        if (reason.get().needsNotes() && notes == null) {
            errors.add(FieldError.of("notes", "the reason \"" + reason.get().label() + "\" needs notes: describe what happened"));
        }
        return new Reason(reason.get().label(), notes);
    }

    /** Adds an error for {@code field} when {@code text} has a hidden character; says whether it had one. */
    private static boolean hidden(String text, String field, String what, List<FieldError> errors) {
        try {
            ReadableText.require(text, what);
            return false;
        } catch (InvalidValueException e) {
            errors.add(FieldError.of(field, e.reason()));
            return true;
        }
    }

    private void requireHelpdesk(SignedInUser staff) {
        if (!staff.helpdesk()) {
            auditRefusal(staff, AuditAction.REVEAL, "helpdesk", "this role is not a helpdesk role", null, null);
            throw new RecoveryRefusedException(null, "only HELPDESK or ADVANCED_HELPDESK may recover keys for callers;"
                    + " for your own computers use self-service");
        }
    }

    private void auditRefusal(SignedInUser staff, AuditAction action, String target, String why, String computer, String requester) {
        audit.record(AuditEntry.refused(staff.actor(), action, target,
                RevealDetails.notRevealed(why, computer, requester, staff.roleNames(), null).json()));
    }

    static String idPrefix(String typed, String field) {
        String prefix;
        try {
            prefix = ProtectorId.normalizeIdPrefix(typed);
        } catch (InvalidValueException e) {
            throw new InvalidRequestException(FieldError.of(field, e.getMessage()
                    + ": type the 8-character password ID the recovery screen shows"));
        }
        if (prefix.length() < SHORT_ID_DIGITS) {
            throw new InvalidRequestException(FieldError.of(field, "the password ID has " + SHORT_ID_DIGITS
                    + " characters (0-9, A-F); this has " + prefix.length() + ": ask the caller to read all of it"));
        }
        return prefix;
    }

    private static String trimmed(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static void throwIfAny(List<FieldError> errors) {
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
    }
}
