package com.lockkeeper.devices;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for devices. Credentials go in and are looked up only as their hashes. */
class DeviceRepository {

    private static final String SELECT = """
            SELECT d.id, d.computer_id, c.name AS computer_name, d.hardware_id, d.status, d.enrolled_at, d.enrolled_by,
                   d.client_version, d.last_seen_at, d.decided_at, d.decided_by, d.replaced_by,
                   (SELECT COUNT(*) FROM recovery_key k WHERE k.device_id = d.id AND k.unapproved = TRUE) AS unapproved_keys
            FROM device d JOIN computer c ON c.id = d.computer_id
            """;

    private final JdbcClient jdbc;

    DeviceRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The device holding this credential, whatever its status, as its principal. */
    Optional<DeviceIdentity> byCredentialHash(byte[] hash) {
        return jdbc.sql("""
                        SELECT d.id, c.name, d.status, d.client_version, d.last_seen_at
                        FROM device d JOIN computer c ON c.id = d.computer_id WHERE d.credential_hash = :hash""")
                .param("hash", hash)
                .query((rs, n) -> new DeviceIdentity(rs.getLong("id"), rs.getString("name"), DeviceStatus.fromDb(rs.getString("status")),
                        rs.getString("client_version"), read(rs, "last_seen_at")))
                .optional();
    }

    /** The computer's active device (the one trusted with a credential or a machine certificate), by computer name (upper case). */
    Optional<DeviceIdentity> activeOfComputerNamed(String name) {
        return jdbc.sql("""
                        SELECT d.id, c.name, d.status, d.client_version, d.last_seen_at
                        FROM device d JOIN computer c ON c.id = d.computer_id
                        WHERE c.name = :name AND d.status = 'active' ORDER BY d.id DESC""")
                .param("name", name)
                .query((rs, n) -> new DeviceIdentity(rs.getLong("id"), rs.getString("name"), DeviceStatus.fromDb(rs.getString("status")),
                        rs.getString("client_version"), read(rs, "last_seen_at")))
                .optional();
    }

    Optional<EnrolledDevice> byId(long id) {
        return jdbc.sql(SELECT + "WHERE d.id = :id").param("id", id).query(DeviceRepository::device).optional();
    }

    /** The computer's devices, oldest first. */
    List<EnrolledDevice> ofComputer(long computerId) {
        return jdbc.sql(SELECT + "WHERE d.computer_id = :computer ORDER BY d.id").param("computer", computerId)
                .query(DeviceRepository::device).list();
    }

    /** The statuses of the devices of the computer with this name (upper case): all a legacy call needs, in one query. */
    List<EnrolledDevice> ofComputerNamed(String name) {
        return jdbc.sql(SELECT + "WHERE c.name = :name ORDER BY d.id").param("name", name).query(DeviceRepository::device).list();
    }

    /** Pending devices first (oldest first), then the others, newest first. */
    List<EnrolledDevice> all(boolean pendingOnly) {
        return jdbc.sql(SELECT + (pendingOnly ? "WHERE d.status = 'pending' " : "")
                        + "ORDER BY CASE WHEN d.status = 'pending' THEN 0 ELSE 1 END,"
                        + " CASE WHEN d.status = 'pending' THEN d.id ELSE -d.id END LIMIT 1000")
                .query(DeviceRepository::device).list();
    }

    /** Holds the computer's row until the transaction ends: one enrollment at a time per computer. */
    void lockComputer(long computerId) {
        jdbc.sql("SELECT id FROM computer WHERE id = :id FOR UPDATE").param("id", computerId).query(Long.class).single();
    }

    long insert(long computerId, UUID hardwareId, byte[] credentialHash, DeviceStatus status, String enrolledBy,
            String clientVersion, Instant now) {
        jdbc.sql("""
                        INSERT INTO device (computer_id, hardware_id, credential_hash, status, enrolled_at, enrolled_by,
                                            client_version, last_seen_at, credential_issued_at)
                        VALUES (:computer, :hardware, :hash, :status, :now, :by, :version, :now, :issued)""")
                .param("computer", computerId)
                .param("hardware", hardwareId, Types.OTHER)
                .param("hash", credentialHash, Types.BINARY)
                .param("status", status.dbValue())
                .param("now", toDb(now))
                .param("by", enrolledBy)
                .param("version", clientVersion, Types.VARCHAR)
                .param("issued", credentialHash == null ? null : toDb(now), Types.TIMESTAMP_WITH_TIMEZONE)
                .update();
        return jdbc.sql("SELECT MAX(id) FROM device WHERE computer_id = :computer").param("computer", computerId)
                .query(Long.class).single();
    }

    /** A new credential for a device (the old one stops working), with the hardware ID and status it enrolled with. */
    void reissue(long id, UUID hardwareId, byte[] credentialHash, DeviceStatus status, String enrolledBy, String clientVersion,
            Instant now) {
        jdbc.sql("""
                        UPDATE device SET hardware_id = :hardware, credential_hash = :hash, status = :status, enrolled_by = :by,
                               client_version = COALESCE(:version, client_version), last_seen_at = :now, credential_issued_at = :now
                        WHERE id = :id""")
                .param("hardware", hardwareId, Types.OTHER)
                .param("hash", credentialHash)
                .param("status", status.dbValue())
                .param("by", enrolledBy)
                .param("version", clientVersion, Types.VARCHAR)
                .param("now", toDb(now))
                .param("id", id)
                .update();
    }

    /** An admin's (or the server's) decision: only from a status it expects, so that two decisions do not cross. */
    boolean decide(long id, DeviceStatus from, DeviceStatus to, String by, Long replacedBy, Instant now) {
        return jdbc.sql("""
                        UPDATE device SET status = :to, decided_at = :now, decided_by = :by, replaced_by = :replacedBy
                        WHERE id = :id AND status = :from""")
                .param("to", to.dbValue())
                .param("now", toDb(now))
                .param("by", by)
                .param("replacedBy", replacedBy, Types.BIGINT)
                .param("id", id)
                .param("from", from.dbValue())
                .update() == 1;
    }

    void seen(long id, String clientVersion, Instant now) {
        jdbc.sql("UPDATE device SET last_seen_at = :now, client_version = COALESCE(:version, client_version) WHERE id = :id")
                .param("now", toDb(now)).param("version", clientVersion, Types.VARCHAR).param("id", id).update();
    }

    private static EnrolledDevice device(ResultSet rs, int n) throws SQLException {
        Object replacedBy = rs.getObject("replaced_by");
        return new EnrolledDevice(rs.getLong("id"), rs.getLong("computer_id"), rs.getString("computer_name"),
                rs.getObject("hardware_id", UUID.class), DeviceStatus.fromDb(rs.getString("status")), read(rs, "enrolled_at"),
                rs.getString("enrolled_by"), rs.getString("client_version"), read(rs, "last_seen_at"), read(rs, "decided_at"),
                rs.getString("decided_by"), replacedBy == null ? null : ((Number) replacedBy).longValue(), rs.getLong("unapproved_keys"));
    }
}
