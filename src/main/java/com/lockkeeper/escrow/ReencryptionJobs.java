package com.lockkeeper.escrow;

import static com.lockkeeper.support.DbTime.read;
import static com.lockkeeper.support.DbTime.toDb;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for the one re-encryption job: how far it got, so an interrupted run resumes. */
class ReencryptionJobs {

    record Job(Instant startedAt, long lastKeyRow, long rowsDone, Instant finishedAt) {

        boolean unfinished() {
            return finishedAt == null;
        }
    }

    private final JdbcClient jdbc;

    ReencryptionJobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Job> current() {
        return jdbc.sql("SELECT started_at, last_key_row, rows_done, finished_at FROM reencrypt_job WHERE id = 1")
                .query((rs, n) -> new Job(read(rs, "started_at"), rs.getLong("last_key_row"), rs.getLong("rows_done"),
                        read(rs, "finished_at")))
                .optional();
    }

    void start(Instant now) {
        jdbc.sql("DELETE FROM reencrypt_job WHERE id = 1").update();
        jdbc.sql("INSERT INTO reencrypt_job (id, started_at, last_key_row, rows_done) VALUES (1, :now, 0, 0)")
                .param("now", toDb(now)).update();
    }

    void advance(long lastKeyRow, long rows) {
        jdbc.sql("UPDATE reencrypt_job SET last_key_row = :last, rows_done = rows_done + :rows WHERE id = 1")
                .param("last", lastKeyRow).param("rows", rows).update();
    }

    void finish(Instant now) {
        jdbc.sql("UPDATE reencrypt_job SET finished_at = :now WHERE id = 1").param("now", toDb(now)).update();
    }
}
