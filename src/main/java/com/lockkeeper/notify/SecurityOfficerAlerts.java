package com.lockkeeper.notify;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditObserver;
import com.lockkeeper.audit.Outcome;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Security officers hear of the key ceremonies (DMK and datakey), of rotations of every key, and
 * of sign-in lockouts, from their audit records: queued in the same transaction, whether the
 * server or an admin command did it.
 */
final class SecurityOfficerAlerts implements AuditObserver {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private static final Set<AuditAction> CEREMONIES = EnumSet.of(AuditAction.KEYS_BOOTSTRAP, AuditAction.DMK_REGISTER,
            AuditAction.DMK_UNREGISTER, AuditAction.DMK_EXPORT, AuditAction.DMK_ROTATE, AuditAction.DMK_RECREATE,
            AuditAction.DATAKEY_EXPORT, AuditAction.DATAKEY_IMPORT, AuditAction.DATAKEY_ROTATE);

    private final Notifications notifications;

    SecurityOfficerAlerts(Notifications notifications) {
        this.notifications = notifications;
    }

    @Override
    public void recorded(AuditEntry entry, Instant at) {
        if (!notifications.enabled() || entry.outcome() != Outcome.SUCCESS) {
            return;
        }
        AuditAction action = AuditAction.ofStored(entry.action()).orElse(null);
        if (action == null) {
            return;
        }
        if (CEREMONIES.contains(action)) {
            notifications.toSecurityOfficers(NoticeKind.KEY_CEREMONY, model(entry, at));
        } else if (action == AuditAction.ROTATION_REQUEST && "all keys".equals(entry.target())) {
            notifications.toSecurityOfficers(NoticeKind.MASS_ROTATION, model(entry, at));
        } else if (action == AuditAction.SIGN_IN_LOCKED) {
            notifications.toSecurityOfficers(NoticeKind.SIGN_IN_LOCKED, model(entry, at));
        }
    }

    private static Map<String, String> model(AuditEntry entry, Instant at) {
        Map<String, String> model = new LinkedHashMap<>();
        model.put("action", entry.action());
        model.put("target", entry.target());
        model.put("actor", entry.actor().toString());
        model.put("at", WHEN.format(at));
        model.put("detail", entry.detail());
        return model;
    }
}
