package com.lockkeeper.reports;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import com.lockkeeper.audit.AuditAction;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Read-only SQL behind the reports: volumes as devices reported them, keys, device actions, recoveries, refused reveals. */
class ReportRepository {

    /** A volume with what its device last reported (nulls before its first check-in). */
    record VolumeRow(long id, long computerId, String computer, Instant lastCheckin, String volumeType, String driveLabel,
            String protectionStatus, String encryptionMethod, String keyProtectors, String recoveryPasswordIds, Instant reportedAt) {
    }

    /**
     * A recovery key that is not retired: {@code verifiedAt} when its device last showed it holds
     * this password (null: never), {@code differsSince} when its device reported another one (null: it did not).
     */
    record KeyRow(long volumeId, String protectorId, String status, Instant verifiedAt, Instant differsSince) {
    }

    record ActionRow(long volumeId, String kind, String protectorId, Instant requestedAt) {
    }

    record DisclosedRow(String protectorId, String computer, String driveLabel, String volumeType, Instant disclosedAt,
            Instant rotationRequestedAt, Instant lastCheckin) {
    }

    record ComputerRow(String name, String domain, Instant lastCheckin, int volumes, int activeKeys, int disclosedKeys) {
    }

    /** A recovery as recovery_event holds it. */
    record RecoveryRow(Instant occurredAt, String source, String computer, Integer eventId, String protectorId, String actor,
            String requester, String identityVerification, String keyType, String reason, String unlockedBy, String approval) {
    }

    /** A refused or failed reveal from the audit log. */
    record AttemptRow(Instant at, String actor, AuditAction action, String target, String outcome, String detail) {
    }

    /** The actions of reveals, by the helpdesk and by end users. */
    static final List<AuditAction> REVEALS = List.of(AuditAction.REVEAL, AuditAction.REVEAL_KEY_PACKAGE,
            AuditAction.SELF_SERVICE_REVEAL);

    private final JdbcClient jdbc;

    ReportRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<VolumeRow> volumes() {
        return jdbc.sql("""
                        SELECT v.id, c.id AS computer_id, c.name AS computer_name, c.last_checkin_at, v.volume_type, v.drive_label,
                               v.protection_status, v.encryption_method, v.key_protectors, v.recovery_password_ids, v.reported_at
                        FROM volume v JOIN computer c ON c.id = v.computer_id ORDER BY c.name, v.volume_type, v.id""")
                .query((rs, n) -> new VolumeRow(rs.getLong("id"), rs.getLong("computer_id"), rs.getString("computer_name"),
                        read(rs, "last_checkin_at"), rs.getString("volume_type"), rs.getString("drive_label"),
                        rs.getString("protection_status"), rs.getString("encryption_method"), rs.getString("key_protectors"),
                        rs.getString("recovery_password_ids"), read(rs, "reported_at")))
                .list();
    }

    List<KeyRow> unretiredKeys() {
        return jdbc.sql("""
                        SELECT volume_id, protector_id, status, verified_at, differs_at FROM recovery_key
                        WHERE status <> 'retired'""")
                .query((rs, n) -> new KeyRow(rs.getLong("volume_id"), rs.getString("protector_id").strip(), rs.getString("status"),
                        read(rs, "verified_at"), read(rs, "differs_at")))
                .list();
    }

    List<ActionRow> pendingActions() {
        return jdbc.sql("SELECT volume_id, kind, protector_id, requested_at FROM device_action WHERE state = 'pending'")
                .query((rs, n) -> new ActionRow(rs.getLong("volume_id"), rs.getString("kind"), rs.getString("protector_id").strip(),
                        read(rs, "requested_at")))
                .list();
    }

    List<DisclosedRow> disclosedKeys() {
        return jdbc.sql("""
                        SELECT k.protector_id, c.name AS computer_name, v.drive_label, v.volume_type, k.disclosed_at, c.last_checkin_at,
                               (SELECT MIN(a.requested_at) FROM device_action a
                                WHERE a.protector_id = k.protector_id AND a.kind = 'rotate' AND a.state = 'pending') AS rotation_requested_at
                        FROM recovery_key k JOIN volume v ON v.id = k.volume_id JOIN computer c ON c.id = v.computer_id
                        WHERE k.status = 'disclosed'
                        ORDER BY k.disclosed_at, c.name""")
                .query((rs, n) -> new DisclosedRow(rs.getString("protector_id").strip(), rs.getString("computer_name"),
                        rs.getString("drive_label"), rs.getString("volume_type"), read(rs, "disclosed_at"),
                        read(rs, "rotation_requested_at"), read(rs, "last_checkin_at")))
                .list();
    }

    /** Computers that have not checked in since {@code since} (or never), those that never did first, then the longest silent. */
    List<ComputerRow> silentSince(Instant since) {
        return jdbc.sql("""
                        SELECT c.name, c.domain, c.last_checkin_at,
                               (SELECT COUNT(*) FROM volume v WHERE v.computer_id = c.id) AS volumes,
                               (SELECT COUNT(*) FROM recovery_key k JOIN volume v ON v.id = k.volume_id
                                WHERE v.computer_id = c.id AND k.status = 'active') AS active_keys,
                               (SELECT COUNT(*) FROM recovery_key k JOIN volume v ON v.id = k.volume_id
                                WHERE v.computer_id = c.id AND k.status = 'disclosed') AS disclosed_keys
                        FROM computer c
                        WHERE c.last_checkin_at IS NULL OR c.last_checkin_at < :since
                        ORDER BY CASE WHEN c.last_checkin_at IS NULL THEN 0 ELSE 1 END, c.last_checkin_at, c.name""")
                .param("since", toDb(since))
                .query((rs, n) -> new ComputerRow(rs.getString("name"), rs.getString("domain"), read(rs, "last_checkin_at"),
                        rs.getInt("volumes"), rs.getInt("active_keys"), rs.getInt("disclosed_keys")))
                .list();
    }

    /** Reveals and the devices' unlock events that occurred in [from, to), oldest first. */
    List<RecoveryRow> recoveries(Instant from, Instant to) {
        return jdbc.sql("""
                        SELECT e.occurred_at, e.source, c.name AS computer_name, e.event_id, e.protector_id, e.actor, e.requester,
                               e.identity_verification, e.key_type, e.recovery_reason, e.unlocked_by,
                               a.id AS approval_id, a.status AS approval_status, a.decided_by, a.decision_note
                        FROM recovery_event e JOIN computer c ON c.id = e.computer_id
                        LEFT JOIN reveal_approval a ON a.reveal_ref = e.dedup_key
                        WHERE e.occurred_at >= :from AND e.occurred_at < :to
                          AND (e.source <> 'device' OR e.event_id IN (24652, 782, 805))
                        ORDER BY e.occurred_at, e.id""")
                .param("from", toDb(from))
                .param("to", toDb(to))
                .query((rs, n) -> recovery(rs))
                .list();
    }

    /** Reveals that were refused or failed in [from, to), oldest first. */
    List<AttemptRow> unsuccessfulReveals(Instant from, Instant to) {
        return jdbc.sql("""
                        SELECT at, actor, action, target, outcome, detail FROM audit_log
                        WHERE action IN (:reveals) AND outcome <> 'success'
                          AND at >= :from AND at < :to
                        ORDER BY at""")
                .param("reveals", REVEALS.stream().map(AuditAction::stored).toList())
                .param("from", toDb(from))
                .param("to", toDb(to))
                .query((rs, n) -> new AttemptRow(read(rs, "at"), rs.getString("actor"),
                        AuditAction.ofStored(rs.getString("action")).orElseThrow(), rs.getString("target"),
                        rs.getString("outcome"), rs.getString("detail")))
                .list();
    }

    private static RecoveryRow recovery(ResultSet rs) throws SQLException {
        int eventId = rs.getInt("event_id");
        Integer event = rs.wasNull() ? null : eventId;
        String protector = rs.getString("protector_id");
        return new RecoveryRow(read(rs, "occurred_at"), rs.getString("source"), rs.getString("computer_name"), event,
                protector == null ? null : protector.strip(), rs.getString("actor"), rs.getString("requester"),
                rs.getString("identity_verification"), rs.getString("key_type"), rs.getString("recovery_reason"),
                rs.getString("unlocked_by"), approval(rs));
    }

    /** How a reveal was allowed when it needed approval: "approved by bob (request 12)" or "break glass: why". */
    private static String approval(ResultSet rs) throws SQLException {
        String status = rs.getString("approval_status");
        if (status == null) {
            return null;
        }
        return "break-glass".equals(status) ? "break glass: " + rs.getString("decision_note")
                : "approved by " + rs.getString("decided_by") + " (request " + rs.getLong("approval_id") + ")";
    }
}
