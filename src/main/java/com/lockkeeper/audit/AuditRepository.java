package com.lockkeeper.audit;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for the audit log. Inserts and reads only: the application never updates or deletes a record. */
class AuditRepository {

    record Head(long seq, byte[] hash) {
    }

    private final JdbcClient jdbc;

    AuditRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(AuditRecord r) {
        jdbc.sql("""
                        INSERT INTO audit_log (lane, seq, at, actor, action, target, outcome, detail, prev_hash, hash)
                        VALUES (:lane, :seq, :at, :actor, :action, :target, :outcome, :detail, :prev, :hash)""")
                .param("lane", r.lane())
                .param("seq", r.seq())
                .param("at", toDb(r.at()))
                .param("actor", r.actor())
                .param("action", r.action())
                .param("target", r.target())
                .param("outcome", r.outcome())
                .param("detail", r.detail())
                .param("prev", r.prevHash())
                .param("hash", r.hash())
                .update();
    }

    Optional<Head> head(String lane) {
        return jdbc.sql("SELECT seq, hash FROM audit_log WHERE lane = :lane ORDER BY seq DESC LIMIT 1")
                .param("lane", lane)
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getBytes("hash")))
                .optional();
    }

    long count(String actor, String action, String outcome, java.time.Instant since) {
        return jdbc.sql("""
                        SELECT COUNT(*) FROM audit_log
                        WHERE actor = :actor AND action = :action AND outcome = :outcome AND at > :since""")
                .param("actor", actor)
                .param("action", action)
                .param("outcome", outcome)
                .param("since", toDb(since))
                .query(Long.class)
                .single();
    }

    /** Every record, lane by lane in chain order, streamed. */
    void forEachInChainOrder(Consumer<AuditRecord> consumer) {
        jdbc.sql("SELECT * FROM audit_log ORDER BY lane, seq")
                .query((ResultSet rs) -> {
                    consumer.accept(record(rs));
                });
    }

    List<AuditRecord> latest(int limit) {
        return jdbc.sql("SELECT * FROM audit_log ORDER BY at DESC, lane, seq DESC LIMIT :limit")
                .param("limit", limit)
                .query((rs, n) -> record(rs))
                .list();
    }

    private static AuditRecord record(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getString("lane"), rs.getLong("seq"), read(rs, "at"), rs.getString("actor"),
                rs.getString("action"), rs.getString("target"), rs.getString("outcome"), rs.getString("detail"),
                rs.getBytes("prev_hash"), rs.getBytes("hash"));
    }
}
