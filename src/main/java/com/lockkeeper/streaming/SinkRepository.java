package com.lockkeeper.streaming;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for audit sinks: who ships each one (a lease), how far each lane has been delivered, the last outcome. */
class SinkRepository {

    /** A sink's row: the node that holds it and until when, the last delivery and the last error. */
    record SinkRow(String name, String leaseOwner, Instant leaseUntil, Instant lastDeliveryAt, String lastError,
            Instant lastErrorAt) {
    }

    private final JdbcClient jdbc;

    SinkRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void ensure(String sink) {
        jdbc.sql("INSERT INTO audit_sink (name) VALUES (:name) ON CONFLICT DO NOTHING").param("name", sink).update();
    }

    /**
     * Takes or renews the sink's lease for {@code owner} until {@code until}, if nobody else holds an
     * unexpired one. The row lock of the UPDATE lets exactly one of several nodes win.
     */
    boolean lease(String sink, String owner, Instant now, Instant until) {
        return jdbc.sql("""
                        UPDATE audit_sink SET lease_owner = :owner, lease_until = :until
                        WHERE name = :name AND (lease_owner IS NULL OR lease_owner = :owner OR lease_until < :now)""")
                .param("owner", owner).param("until", toDb(until)).param("name", sink).param("now", toDb(now))
                .update() == 1;
    }

    /** Gives the lease up (a node stopping), so another node takes over at its next round. */
    void release(String sink, String owner) {
        jdbc.sql("UPDATE audit_sink SET lease_owner = NULL, lease_until = NULL WHERE name = :name AND lease_owner = :owner")
                .param("name", sink).param("owner", owner).update();
    }

    Map<String, Long> cursors(String sink) {
        Map<String, Long> cursors = new HashMap<>();
        jdbc.sql("SELECT lane, delivered_seq FROM audit_sink_cursor WHERE sink = :sink").param("sink", sink)
                .query((ResultSet rs) -> {
                    cursors.put(rs.getString("lane"), rs.getLong("delivered_seq"));
                });
        return cursors;
    }

    /** Records that the receiver has every record of the lane up to {@code seq}; never moves a cursor back. */
    void advance(String sink, String lane, long seq, Instant now) {
        int moved = jdbc.sql("""
                        UPDATE audit_sink_cursor SET delivered_seq = :seq, delivered_at = :now
                        WHERE sink = :sink AND lane = :lane AND delivered_seq < :seq""")
                .param("seq", seq).param("now", toDb(now)).param("sink", sink).param("lane", lane).update();
        if (moved == 0) {
            jdbc.sql("""
                            INSERT INTO audit_sink_cursor (sink, lane, delivered_seq, delivered_at) VALUES (:sink, :lane, :seq, :now)
                            ON CONFLICT DO NOTHING""")
                    .param("sink", sink).param("lane", lane).param("seq", seq).param("now", toDb(now)).update();
        }
        jdbc.sql("UPDATE audit_sink SET last_delivery_at = :now WHERE name = :name").param("now", toDb(now))
                .param("name", sink).update();
    }

    void failed(String sink, String error, Instant now) {
        String text = error == null ? "unknown error" : error.length() > 500 ? error.substring(0, 500) : error;
        jdbc.sql("UPDATE audit_sink SET last_error = :error, last_error_at = :now WHERE name = :name")
                .param("error", text).param("now", toDb(now)).param("name", sink).update();
    }

    Optional<SinkRow> row(String sink) {
        return jdbc.sql("SELECT * FROM audit_sink WHERE name = :name").param("name", sink)
                .query((rs, n) -> new SinkRow(rs.getString("name"), rs.getString("lease_owner"),
                        read(rs, "lease_until"), read(rs, "last_delivery_at"), rs.getString("last_error"),
                        read(rs, "last_error_at")))
                .optional();
    }
}
