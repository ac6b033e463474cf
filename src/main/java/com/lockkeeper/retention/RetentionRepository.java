package com.lockkeeper.retention;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import com.lockkeeper.bitlocker.ProtectorId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for the retention: computers' retirement, stale flag and legal hold; the keys of retired computers; the purge; its lease. */
public class RetentionRepository {

    static final String PURGE_JOB = "retention-purge";

    private static final String COMPUTER = """
            SELECT c.id, c.name, c.created_at, c.last_checkin_at, c.retired_at, c.retired_by, c.retired_reason, c.stale_since,
                   c.hold_at, c.hold_by, c.hold_reason
            FROM computer c
            """;

    /**
     * Keys of retired computers not purged yet. {@code reported}: the device's check-in after the
     * retirement still listed the protector (such a key is never purged).
     */
    private static final String RETAINED = """
            SELECT k.id, k.protector_id, k.status, c.id AS computer_id, c.name AS computer_name, v.drive_label, v.volume_type,
                   c.retired_at, c.retired_reason, c.hold_at,
                   CASE WHEN v.reported_at > c.retired_at AND v.recovery_password_ids LIKE '%' || k.protector_id || '%'
                        THEN TRUE ELSE FALSE END AS reported
            FROM recovery_key k JOIN volume v ON v.id = k.volume_id JOIN computer c ON c.id = v.computer_id
            WHERE c.retired_at IS NOT NULL AND k.purged_at IS NULL
            """;

    private final JdbcClient jdbc;

    RetentionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<ComputerRetention> computer(String name) {
        return jdbc.sql(COMPUTER + "WHERE c.name = :name").param("name", name).query(RetentionRepository::computer).optional();
    }

    Optional<ComputerRetention> computer(long id) {
        return jdbc.sql(COMPUTER + "WHERE c.id = :id").param("id", id).query(RetentionRepository::computer).optional();
    }

    /** Computers that are retired, on hold or stale, by name. */
    public List<ComputerRetention> tracked() {
        return jdbc.sql(COMPUTER + "WHERE c.retired_at IS NOT NULL OR c.hold_at IS NOT NULL OR c.stale_since IS NOT NULL ORDER BY c.name")
                .query(RetentionRepository::computer).list();
    }

    boolean retire(long computerId, String by, String reason, Instant now) {
        return jdbc.sql("""
                        UPDATE computer SET retired_at = :now, retired_by = :by, retired_reason = :reason
                        WHERE id = :id AND retired_at IS NULL""")
                .param("now", toDb(now)).param("by", by).param("reason", reason).param("id", computerId).update() == 1;
    }

    boolean unretire(long computerId) {
        return jdbc.sql("""
                        UPDATE computer SET retired_at = NULL, retired_by = NULL, retired_reason = NULL
                        WHERE id = :id AND retired_at IS NOT NULL""")
                .param("id", computerId).update() == 1;
    }

    boolean hold(long computerId, String by, String reason, Instant now) {
        return jdbc.sql("UPDATE computer SET hold_at = :now, hold_by = :by, hold_reason = :reason WHERE id = :id AND hold_at IS NULL")
                .param("now", toDb(now)).param("by", by).param("reason", reason).param("id", computerId).update() == 1;
    }

    boolean release(long computerId) {
        return jdbc.sql("UPDATE computer SET hold_at = NULL, hold_by = NULL, hold_reason = NULL WHERE id = :id AND hold_at IS NOT NULL")
                .param("id", computerId).update() == 1;
    }

    /** Computers not retired nor flagged yet whose last check-in (or, never checked in, creation) is before {@code cutoff}. */
    List<ComputerRetention> silentBefore(Instant cutoff) {
        return jdbc.sql(COMPUTER + """
                        WHERE c.retired_at IS NULL AND c.stale_since IS NULL AND COALESCE(c.last_checkin_at, c.created_at) < :cutoff
                        ORDER BY c.name""")
                .param("cutoff", toDb(cutoff)).query(RetentionRepository::computer).list();
    }

    boolean markStale(long computerId, Instant now) {
        return jdbc.sql("UPDATE computer SET stale_since = :now WHERE id = :id AND stale_since IS NULL")
                .param("now", toDb(now)).param("id", computerId).update() == 1;
    }

    void clearStale(long computerId) {
        jdbc.sql("UPDATE computer SET stale_since = NULL WHERE id = :id AND stale_since IS NOT NULL").param("id", computerId).update();
    }

    /** Keys of retired computers that are not purged, those retired longest first. */
    public List<RetainedKey> retainedKeys() {
        return jdbc.sql(RETAINED + "ORDER BY c.retired_at, c.name, k.id").query(RetentionRepository::retained).list();
    }

    /**
     * Deletes a key's material if its computer is still retired since {@code retiredBefore} and not
     * on hold, and the device did not report the key since: the sealed password becomes zero bytes,
     * the key package, the device's verifier and every superseded copy are deleted. Answers how many
     * superseded copies went, or empty if the key was not purged (purged already, or no longer due).
     */
    Optional<Integer> purge(long keyId, Instant retiredBefore, String reason, Instant now) {
        int updated = jdbc.sql("""
                        UPDATE recovery_key SET device_verifier = NULL, purged_at = :now, purge_reason = :reason
                        WHERE id = :id AND purged_at IS NULL AND EXISTS (
                            SELECT 1 FROM volume v JOIN computer c ON c.id = v.computer_id
                            WHERE v.id = recovery_key.volume_id AND c.retired_at IS NOT NULL AND c.retired_at <= :before
                              AND c.hold_at IS NULL
                              AND (v.reported_at IS NULL OR v.reported_at <= c.retired_at OR v.recovery_password_ids IS NULL
                                   OR v.recovery_password_ids NOT LIKE '%' || recovery_key.protector_id || '%'))""")
                .param("now", toDb(now)).param("reason", reason).param("id", keyId)
                .param("before", toDb(retiredBefore)).update();
        if (updated != 1) {
            return Optional.empty();
        }
        jdbc.sql("UPDATE key_secret SET password_ct = :empty, key_package_ct = NULL, key_package_epoch_id = NULL WHERE key_id = :id")
                .param("empty", new byte[0]).param("id", keyId).update();
        return Optional.of(jdbc.sql("DELETE FROM superseded_key WHERE key_id = :id").param("id", keyId).update());
    }

    /** Takes (or renews) the purge's lease for {@code holder} until {@code until}: whether this holder has it now. */
    boolean tryLease(String holder, Instant now, Instant until) {
        return jdbc.sql("""
                        UPDATE job_lease SET holder = :holder, expires_at = :until
                        WHERE job = :job AND (holder IS NULL OR holder = :holder OR expires_at IS NULL OR expires_at < :now)""")
                .param("holder", holder).param("until", toDb(until)).param("job", PURGE_JOB).param("now", toDb(now)).update() == 1;
    }

    void releaseLease(String holder) {
        jdbc.sql("UPDATE job_lease SET holder = NULL, expires_at = NULL WHERE job = :job AND holder = :holder")
                .param("job", PURGE_JOB).param("holder", holder).update();
    }

    private static ComputerRetention computer(ResultSet rs, int row) throws SQLException {
        return new ComputerRetention(rs.getLong("id"), rs.getString("name"), read(rs, "created_at"), read(rs, "last_checkin_at"),
                read(rs, "retired_at"), rs.getString("retired_by"), rs.getString("retired_reason"), read(rs, "stale_since"),
                read(rs, "hold_at"), rs.getString("hold_by"), rs.getString("hold_reason"));
    }

    private static RetainedKey retained(ResultSet rs, int row) throws SQLException {
        return new RetainedKey(rs.getLong("id"), ProtectorId.fromHex(rs.getString("protector_id")), rs.getString("status"),
                rs.getLong("computer_id"), rs.getString("computer_name"), rs.getString("drive_label"), rs.getString("volume_type"),
                read(rs, "retired_at"), rs.getString("retired_reason"), read(rs, "hold_at") != null, rs.getBoolean("reported"));
    }
}
