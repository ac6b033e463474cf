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

    HelpdeskRecovery(ComputerSearch search, RevealService reveals, RecoveryChoices choices, AuditLog audit) {
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

    /** Step 5: every rule checked again, then the audited reveal. */
    public RecoveryPassword reveal(SignedInUser staff, ProtectorId id, HelpdeskRequest request, String channel, String clientAddress) {
        RevealRequest audited = checked(staff, id, request, channel, clientAddress);
        return reveals.reveal(id, audited, staff.actor());
    }

    /** The key package for repair-bde: advanced helpdesk only, with the same procedure and audit as a reveal. */
    public byte[] keyPackage(SignedInUser staff, ProtectorId id, HelpdeskRequest request, String channel, String clientAddress) {
        if (!staff.has(Role.ADVANCED_HELPDESK)) {
            auditRefusal(staff, AuditAction.REVEAL_KEY_PACKAGE, "key " + id, "this role may not download key packages", null, null);
            throw new RecoveryRefusedException(null, "only ADVANCED_HELPDESK may download key packages: ask an advanced"
                    + " helpdesk colleague, or give the caller the recovery password");
        }
        RevealRequest audited = checked(staff, id, request, channel, clientAddress);
        return reveals.revealKeyPackage(id, audited, staff.actor());
    }

    private RevealRequest checked(SignedInUser staff, ProtectorId id, HelpdeskRequest request, String channel, String clientAddress) {
        requireHelpdesk(staff);
        KeySummary key = search.key(id).orElseThrow(() -> new KeyNotFoundException("no recovery key has the ID " + id
                + ": check the ID on the recovery screen, or search by computer name"));
        ComputerSummary computer = search.byId(key.computerId()).orElseThrow();
        List<FieldError> errors = new ArrayList<>();
        Caller caller = caller(staff, computer, request, errors);
        Reason reason = reason(request, errors);
        throwIfAny(errors);
        return new RevealRequest(reason.label(), caller.verification(),
                caller.account() + (caller.associated() ? " (associated user)" : " (not an associated user)"),
                reason.notes(), caller.justification(), staff.roleNames(), channel + " via " + staff.via(), clientAddress);
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
