package com.lockkeeper.monitoring;

import static com.lockkeeper.support.DbTime.read;

import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The counts the gauges read from the database: plain aggregates, run at most once per refresh interval. */
final class MonitoringRepository {

    /** Disclosed recovery passwords the device has not replaced yet, and when the oldest of them was disclosed. */
    record Disclosed(long count, Instant oldest) {
    }

    private final JdbcClient jdbc;

    MonitoringRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long pendingRotations() {
        return jdbc.sql("SELECT COUNT(*) FROM device_action WHERE kind = 'rotate' AND state = 'pending'").query(Long.class).single();
    }

    Disclosed disclosedNotRotated() {
        return jdbc.sql("SELECT COUNT(*) AS n, MIN(disclosed_at) AS oldest FROM recovery_key WHERE status = 'disclosed'")
                .query((rs, n) -> new Disclosed(rs.getLong("n"), read(rs, "oldest")))
                .single();
    }
}
