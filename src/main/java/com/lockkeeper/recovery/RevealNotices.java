package com.lockkeeper.recovery;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.notify.MailAddresses;
import com.lockkeeper.notify.Notice;
import com.lockkeeper.notify.NoticeKind;
import com.lockkeeper.notify.Notifications;
import com.lockkeeper.users.UserAccount;
import com.lockkeeper.users.UserAccounts;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mail the recovery procedure sends, queued in the transaction of what it tells of: a key's
 * associated users hear of its reveal, approvers of new requests, requesters of decisions, and
 * security officers of break-glass reveals. Only what the audit record holds goes in; never a secret.
 */
final class RevealNotices {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final Notifications notifications;
    private final UserAccounts users;
    private final ApprovalPolicy policy;

    RevealNotices(Notifications notifications, UserAccounts users, ApprovalPolicy policy) {
        this.notifications = notifications;
        this.users = users;
        this.policy = policy;
    }

    /** To the associated users of the key's computer whose account names are mail addresses. */
    void revealed(List<String> associatedUsers, String computer, String shortId, RevealRequest request, Actor actor, Instant at) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("computer", computer);
        model.put("keyId", shortId);
        model.put("by", actor.name());
        model.put("at", WHEN.format(at));
        model.put("reason", request.reason());
        model.put("approval", request.breakGlass() != null ? "none: revealed without approval (break glass)" : request.approval());
        notifications.queue(Notice.of(NoticeKind.KEY_REVEALED, Notifications.addressesOf(associatedUsers), model));
    }

    void breakGlass(String computer, String shortId, String keyType, RevealRequest request, Actor actor, Instant at) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("by", actor.name());
        model.put("computer", computer);
        model.put("keyId", shortId);
        model.put("keyType", keyType);
        model.put("at", WHEN.format(at));
        model.put("requester", request.requester());
        model.put("reason", request.reason());
        model.put("justification", request.breakGlass());
        notifications.toSecurityOfficers(NoticeKind.BREAK_GLASS, model);
    }

    /** To every local account with an approver role (but the requester) whose name is an address, and the configured addresses. */
    void approvalRequested(Approval a) {
        List<String> to = new ArrayList<>(notifications.approverAddresses());
        for (UserAccount user : users.list()) {
            if (!user.disabled() && policy.approverRoles().stream().anyMatch(user.roles()::contains)
                    && !user.username().equalsIgnoreCase(a.requestedBy())) {
                MailAddresses.of(user.username()).ifPresent(to::add);
            }
        }
        Map<String, String> model = new LinkedHashMap<>();
        model.put("id", String.valueOf(a.id()));
        model.put("requestedBy", a.requestedBy());
        model.put("keyType", a.keyTypeLabel());
        model.put("computer", a.computerName());
        model.put("keyId", a.shortId());
        model.put("requester", a.requester());
        model.put("identity", a.identityText() == null ? a.identityVerification() : a.identityVerification() + ": " + a.identityText());
        model.put("reason", a.reason());
        model.put("notes", a.notes());
        model.put("whyRequired", a.whyRequired());
        model.put("expiresAt", WHEN.format(a.expiresAt()));
        notifications.queue(Notice.of(NoticeKind.APPROVAL_REQUESTED, to, model));
    }

    /** To the requester, when their account name is an address. */
    void approvalDecided(Approval a, boolean approved, String approver, String note, Instant validUntil) {
        Optional<String> to = MailAddresses.of(a.requestedBy());
        if (to.isEmpty()) {
            return;
        }
        Map<String, String> model = new LinkedHashMap<>();
        model.put("id", String.valueOf(a.id()));
        model.put("decision", approved ? "approved" : "denied");
        model.put("decidedBy", approver);
        model.put("note", note);
        model.put("keyType", a.keyTypeLabel());
        model.put("computer", a.computerName());
        model.put("keyId", a.shortId());
        model.put("validUntil", validUntil == null ? "" : WHEN.format(validUntil));
        notifications.queue(Notice.of(NoticeKind.APPROVAL_DECIDED, List.of(to.get()), model));
    }
}
