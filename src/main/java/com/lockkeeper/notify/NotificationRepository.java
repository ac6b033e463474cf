package com.lockkeeper.notify;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The outbox: notifications waiting to be mailed, sent, or given up. */
final class NotificationRepository {

    /** One queued message to one address. */
    record Queued(long id, String kind, String recipient, String model, String status, Instant createdAt, int attempts,
            Instant nextAttemptAt, String lastError, Instant sentAt) {
    }

    private static final String COLUMNS = "id, kind, recipient, model, status, created_at, attempts, next_attempt_at, last_error, sent_at";

    private final JdbcClient jdbc;

    NotificationRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(String kind, String recipient, String model, Instant now) {
        jdbc.sql("""
                        INSERT INTO notification (kind, recipient, model, status, created_at, attempts, next_attempt_at)
                        VALUES (:kind, :recipient, :model, 'pending', :now, 0, :now)""")
                .param("kind", kind).param("recipient", recipient).param("model", model).param("now", toDb(now))
                .update();
    }

    /** Pending messages due now that no node holds, oldest first. */
    List<Long> due(Instant now, int limit) {
        return jdbc.sql("""
                        SELECT id FROM notification
                        WHERE status = 'pending' AND next_attempt_at <= :now AND (claimed_until IS NULL OR claimed_until < :now)
                        ORDER BY next_attempt_at, id LIMIT :limit""")
                .param("now", toDb(now)).param("limit", limit).query(Long.class).list();
    }

    /** Takes a message for sending until {@code until}; false when another node took it first. */
    boolean claim(long id, Instant now, Instant until) {
        return jdbc.sql("""
                        UPDATE notification SET claimed_until = :until
                        WHERE id = :id AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < :now)""")
                .param("until", toDb(until)).param("id", id).param("now", toDb(now)).update() == 1;
    }

    Optional<Queued> find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE id = :id").param("id", id).query(NotificationRepository::row)
                .optional();
    }

    void sent(long id, Instant now) {
        jdbc.sql("UPDATE notification SET status = 'sent', sent_at = :now, attempts = attempts + 1, claimed_until = NULL,"
                        + " last_error = NULL WHERE id = :id")
                .param("now", toDb(now)).param("id", id).update();
    }

    void retryLater(long id, Instant next, String error) {
        jdbc.sql("UPDATE notification SET attempts = attempts + 1, next_attempt_at = :next, claimed_until = NULL, last_error = :error"
                        + " WHERE id = :id AND status = 'pending'")
                .param("next", toDb(next)).param("error", error).param("id", id).update();
    }

    /** Gives a message up; true only for the one call that changed it, so it is audited once. */
    boolean giveUp(long id, String error) {
        return jdbc.sql("UPDATE notification SET status = 'failed', attempts = attempts + 1, claimed_until = NULL, last_error = :error"
                        + " WHERE id = :id AND status = 'pending'")
                .param("error", error).param("id", id).update() == 1;
    }

    /** Messages not sent (pending with an error, or given up), newest first. */
    List<Queued> troubled(int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM notification WHERE status = 'failed' OR (status = 'pending' AND attempts > 0)"
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .param("limit", limit).query(NotificationRepository::row).list();
    }

    long count(String status) {
        return jdbc.sql("SELECT COUNT(*) FROM notification WHERE status = :status").param("status", status).query(Long.class).single();
    }

    private static Queued row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Queued(rs.getLong("id"), rs.getString("kind"), rs.getString("recipient"), rs.getString("model"),
                rs.getString("status"), read(rs, "created_at"), rs.getInt("attempts"), read(rs, "next_attempt_at"),
                rs.getString("last_error"), read(rs, "sent_at"));
    }
}
