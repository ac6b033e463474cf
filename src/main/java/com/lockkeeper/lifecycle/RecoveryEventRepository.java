package com.lockkeeper.lifecycle;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for recovery events: appended, never changed. */
public class RecoveryEventRepository {

    private final JdbcClient jdbc;

    RecoveryEventRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores the event unless one with its dedup key is stored already; true if it was new. */
    public boolean insert(RecoveryEvent event, Instant receivedAt) {
        return jdbc.sql("""
                        INSERT INTO recovery_event (computer_id, volume_id, protector_id, occurred_at, source, event_log, event_id,
                               unlocked_by, recovery_reason, protection_mode, pcr_profile, firmware_version, message, actor,
                               requester, identity_verification, key_type, received_at, dedup_key)
                        VALUES (:computer, :volume, :protector, :occurredAt, :source, :log, :eventId, :unlockedBy, :reason,
                               :mode, :pcr, :firmware, :message, :actor, :requester, :verification, :keyType, :receivedAt, :dedup)
                        ON CONFLICT DO NOTHING""")
                .param("computer", event.computerId())
                .param("volume", event.volumeRowId())
                .param("protector", event.protectorIdHex())
                .param("occurredAt", toDb(event.occurredAt()))
                .param("source", event.source())
                .param("log", event.eventLog())
                .param("eventId", event.eventId())
                .param("unlockedBy", event.unlockedBy())
                .param("reason", event.recoveryReason())
                .param("mode", event.protectionMode())
                .param("pcr", event.pcrProfile())
                .param("firmware", event.firmwareVersion())
                .param("message", event.message())
                .param("actor", event.actor())
                .param("requester", event.requester())
                .param("verification", event.identityVerification())
                .param("keyType", event.keyType())
                .param("receivedAt", toDb(receivedAt))
                .param("dedup", event.dedupKey())
                .update() == 1;
    }

    /**
     * Whether a device event was stored under the key it had before the time and event ID were
     * part of it: a row with that key, this event ID and this time.
     */
    public boolean storedUnderEarlierKey(String earlierKey, int eventId, Instant occurredAt) {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_event WHERE dedup_key = :key AND event_id = :eventId AND occurred_at = :at")
                .param("key", earlierKey).param("eventId", eventId).param("at", toDb(occurredAt)).query(Long.class).single() > 0;
    }

    /** A computer's recoveries, oldest first. */
    public List<RecoveryEvent> ofComputer(long computerId) {
        return jdbc.sql("SELECT * FROM recovery_event WHERE computer_id = :computer ORDER BY occurred_at, id")
                .param("computer", computerId).query(RecoveryEventRepository::event).list();
    }

    private static RecoveryEvent event(ResultSet rs, int row) throws SQLException {
        long volume = rs.getLong("volume_id");
        Long volumeRowId = rs.wasNull() ? null : volume;
        int eventId = rs.getInt("event_id");
        Integer id = rs.wasNull() ? null : eventId;
        return new RecoveryEvent(rs.getLong("computer_id"), volumeRowId, rs.getString("protector_id"), read(rs, "occurred_at"),
                rs.getString("source"), rs.getString("event_log"), id, rs.getString("unlocked_by"),
                rs.getString("recovery_reason"), rs.getString("protection_mode"), rs.getString("pcr_profile"),
                rs.getString("firmware_version"), rs.getString("message"), rs.getString("actor"), rs.getString("requester"),
                rs.getString("identity_verification"), rs.getString("key_type"), rs.getString("dedup_key"));
    }
}
