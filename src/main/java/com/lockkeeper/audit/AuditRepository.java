package com.lockkeeper.audit;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for the audit log. Inserts and reads only: the application never updates or deletes a record. */
class AuditRepository {

    record Head(long seq, byte[] hash) {
    }

    private static final String INSERT = """
            INSERT INTO audit_log (lane, seq, at, actor, action, target, outcome, detail, prev_hash, hash, key_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    AuditRepository(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    void insert(AuditRecord r) {
        jdbc.sql(INSERT).params(columns(r)).update();
    }

    /** Inserts the records in one JDBC batch, in order. */
    void insertAll(List<AuditRecord> records) {
        batches.batchUpdate(INSERT, records.stream().map(AuditRepository::columns).toList());
    }

    private static Object[] columns(AuditRecord r) {
        return new Object[] {r.lane(), r.seq(), toDb(r.at()), r.actor(), r.action(), r.target(), r.outcome(), r.detail(),
                r.prevHash(), r.hash(), r.keyId()};
    }

    Optional<Head> head(String lane) {
        return jdbc.sql("SELECT seq, hash FROM audit_log WHERE lane = :lane ORDER BY seq DESC LIMIT 1")
                .param("lane", lane)
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getBytes("hash")))
                .optional();
    }

    /**
     * Every lane with its last sequence number, without reading every record: one index probe for
     * each lane's successor and one for its head (a loose index scan), so it stays cheap however
     * long the log grows.
     */
    java.util.Map<String, Long> laneHeads() {
        java.util.Map<String, Long> heads = new java.util.TreeMap<>();
        jdbc.sql("""
                        WITH RECURSIVE lanes (lane) AS (
                            (SELECT lane FROM audit_log ORDER BY lane LIMIT 1)
                            UNION ALL
                            SELECT (SELECT a.lane FROM audit_log a WHERE a.lane > lanes.lane ORDER BY a.lane LIMIT 1)
                            FROM lanes WHERE lanes.lane IS NOT NULL)
                        SELECT lane, (SELECT h.seq FROM audit_log h WHERE h.lane = lanes.lane ORDER BY h.seq DESC LIMIT 1) AS head
                        FROM lanes WHERE lane IS NOT NULL""")
                .query((ResultSet rs) -> {
                    heads.put(rs.getString("lane"), rs.getLong("head"));
                });
        return heads;
    }

    /** Up to {@code limit} records of the lane after {@code afterSeq}, in chain order. */
    List<AuditRecord> after(String lane, long afterSeq, int limit) {
        return jdbc.sql("SELECT * FROM audit_log WHERE lane = :lane AND seq > :after ORDER BY seq LIMIT :limit")
                .param("lane", lane).param("after", afterSeq).param("limit", limit)
                .query((rs, n) -> record(rs))
                .list();
    }

    Optional<java.time.Instant> at(String lane, long seq) {
        return jdbc.sql("SELECT at FROM audit_log WHERE lane = :lane AND seq = :seq").param("lane", lane).param("seq", seq)
                .query((rs, n) -> read(rs, "at")).optional();
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

    /** One page of records matching the query, newest first; one more row is read to tell whether a next page exists. */
    AuditPage search(AuditQuery query) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_log WHERE 1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        if (query.actor() != null) {
            sql.append(" AND LOWER(actor) LIKE :actor ESCAPE '\\'");
            params.put("actor", "%" + likeEscaped(query.actor().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        if (query.action() != null) {
            sql.append(" AND action LIKE :action ESCAPE '\\'");
            params.put("action", likeEscaped(query.action()) + "%");
        }
        if (query.from() != null) {
            sql.append(" AND at >= :from");
            params.put("from", toDb(query.from().atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
        }
        if (query.to() != null) {
            sql.append(" AND at < :to");
            params.put("to", toDb(query.to().plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()));
        }
        sql.append(" ORDER BY at DESC, lane, seq DESC LIMIT :limit OFFSET :offset");
        params.put("limit", query.size() + 1);
        params.put("offset", (long) query.page() * query.size());
        List<AuditRecord> rows = jdbc.sql(sql.toString()).params(params).query((rs, n) -> record(rs)).list();
        boolean hasNext = rows.size() > query.size();
        return new AuditPage(hasNext ? rows.subList(0, query.size()) : rows, query.page(), query.size(), hasNext);
    }

    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static AuditRecord record(ResultSet rs) throws SQLException {
        return new AuditRecord(rs.getString("lane"), rs.getLong("seq"), read(rs, "at"), rs.getString("actor"),
                rs.getString("action"), rs.getString("target"), rs.getString("outcome"), rs.getString("detail"),
                rs.getBytes("prev_hash"), rs.getBytes("hash"), rs.getString("key_id"));
    }
}
