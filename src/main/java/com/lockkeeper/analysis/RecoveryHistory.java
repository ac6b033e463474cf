package com.lockkeeper.analysis;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Read-only SQL over what happened to computers: recovery events, key changes, device actions. */
public class RecoveryHistory {

    /** A change of a recovery key or a device action, for the timeline. */
    public record KeyChange(Instant at, String what, String protectorId, String driveLabel, String detail) {

        public String shortProtectorId() {
            return protectorId == null ? null : protectorId.substring(0, Math.min(8, protectorId.length()));
        }
    }

    private static final String EVENTS = """
            SELECT e.id, e.computer_id, c.name AS computer_name, v.drive_label, e.protector_id, e.occurred_at, e.source,
                   e.event_log, e.event_id, e.unlocked_by, e.recovery_reason, e.protection_mode, e.pcr_profile,
                   e.firmware_version, e.message, e.received_at
            FROM recovery_event e JOIN computer c ON c.id = e.computer_id LEFT JOIN volume v ON v.id = e.volume_id
            """;

    private static final java.time.format.DateTimeFormatter CREATED = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(java.time.ZoneOffset.UTC);

    private final JdbcClient jdbc;

    RecoveryHistory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every event of this computer, oldest first. */
    public List<EventRecord> eventsOf(long computerId) {
        return jdbc.sql(EVENTS + " WHERE e.computer_id = :computer ORDER BY e.occurred_at, e.id")
                .param("computer", computerId)
                .query((rs, n) -> event(rs))
                .list();
    }

    /** Every event that occurred in [from, to), by computer then time. */
    public List<EventRecord> eventsBetween(Instant from, Instant to) {
        return jdbc.sql(EVENTS + " WHERE e.occurred_at >= :from AND e.occurred_at < :to ORDER BY e.computer_id, e.occurred_at, e.id")
                .param("from", toDb(from))
                .param("to", toDb(to))
                .query((rs, n) -> event(rs))
                .list();
    }

    /** Computers with a recovery event that arrived after {@code since}: those whose flags may have changed. */
    public List<Long> computersWithEventsReceivedAfter(Instant since) {
        return jdbc.sql("SELECT DISTINCT computer_id FROM recovery_event WHERE received_at > :since ORDER BY computer_id")
                .param("since", toDb(since))
                .query(Long.class)
                .list();
    }

    /** Escrows, disclosures, retirements and device actions of this computer's keys, oldest first. */
    public List<KeyChange> keyChangesOf(long computerId) {
        List<KeyChange> changes = new java.util.ArrayList<>();
        jdbc.sql("""
                        SELECT k.protector_id, v.drive_label, k.created_at, k.escrowed_at, k.disclosed_at, k.retired_at, k.retired_reason,
                               k.verified_at, k.differs_at
                        FROM recovery_key k JOIN volume v ON v.id = k.volume_id WHERE v.computer_id = :computer""")
                .param("computer", computerId)
                .query((ResultSet rs) -> {
                    String id = rs.getString("protector_id");
                    String label = rs.getString("drive_label");
                    changes.add(new KeyChange(read(rs, "escrowed_at"), "Key escrowed", id, label,
                            "created on the device " + CREATED.format(read(rs, "created_at"))));
                    Instant disclosed = read(rs, "disclosed_at");
                    if (disclosed != null) {
                        changes.add(new KeyChange(disclosed, "Key disclosed", id, label, "awaits rotation by the device"));
                    }
                    Instant retired = read(rs, "retired_at");
                    if (retired != null) {
                        changes.add(new KeyChange(retired, "Key retired", id, label, rs.getString("retired_reason")));
                    }
                    Instant verified = read(rs, "verified_at");
                    if (verified != null) {
                        changes.add(new KeyChange(verified, "Key verified by the device", id, label,
                                "last check-in that showed the escrowed password is the one on the device"));
                    }
                    Instant differs = read(rs, "differs_at");
                    if (differs != null) {
                        changes.add(new KeyChange(differs, "Escrowed password differs from the device", id, label,
                                "the device is asked to escrow it again; its escrow will replace the stored copy"));
                    }
                });
        jdbc.sql("""
                        SELECT s.protector_id, v.drive_label, s.superseded_at, s.superseded_by
                        FROM superseded_key s JOIN recovery_key k ON k.id = s.key_id JOIN volume v ON v.id = k.volume_id
                        WHERE v.computer_id = :computer""")
                .param("computer", computerId)
                .query((ResultSet rs) -> {
                    changes.add(new KeyChange(read(rs, "superseded_at"), "Key replaced by the device's escrow",
                            rs.getString("protector_id"), rs.getString("drive_label"),
                            "the stored password differed from the device; the old copy is kept (" + rs.getString("superseded_by") + ")"));
                });
        jdbc.sql("""
                        SELECT a.kind, a.protector_id, v.drive_label, a.requested_at, a.requested_by, a.reason, a.state, a.done_at
                        FROM device_action a JOIN volume v ON v.id = a.volume_id WHERE v.computer_id = :computer""")
                .param("computer", computerId)
                .query((ResultSet rs) -> {
                    String kind = rs.getString("kind");
                    String id = rs.getString("protector_id");
                    String label = rs.getString("drive_label");
                    String by = rs.getString("requested_by");
                    String reason = rs.getString("reason");
                    changes.add(new KeyChange(read(rs, "requested_at"), "Device asked to " + kind, id, label,
                            (reason == null ? "" : reason) + (by == null ? "" : " (requested by " + by + ")")));
                    Instant done = read(rs, "done_at");
                    if (done != null) {
                        changes.add(new KeyChange(done, "Device action " + kind + " " + rs.getString("state"), id, label, null));
                    }
                });
        changes.sort(java.util.Comparator.comparing(KeyChange::at, java.util.Comparator.nullsFirst(Instant::compareTo)));
        return changes;
    }

    private static EventRecord event(ResultSet rs) throws SQLException {
        int eventId = rs.getInt("event_id");
        Integer event = rs.wasNull() ? null : eventId;
        return new EventRecord(rs.getLong("id"), rs.getLong("computer_id"), rs.getString("computer_name"),
                rs.getString("drive_label"), trimmed(rs.getString("protector_id")), read(rs, "occurred_at"), rs.getString("source"),
                rs.getString("event_log"), event, rs.getString("unlocked_by"), rs.getString("recovery_reason"),
                rs.getString("protection_mode"), rs.getString("pcr_profile"), rs.getString("firmware_version"),
                rs.getString("message"), read(rs, "received_at"));
    }

    private static String trimmed(String text) {
        return text == null ? null : text.strip();
    }
}
