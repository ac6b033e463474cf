package com.lockkeeper.activedirectory;

import static com.lockkeeper.support.DbTime.toDb;

import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for the directory watermarks (how far each domain controller's changes are imported) and the job lease. */
public class DirectorySyncRepository {

    static final String SYNC_JOB = "directory-sync";

    private final JdbcClient jdbc;

    DirectorySyncRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The first USN not yet imported from this controller under this base DN, if a run completed before. */
    public OptionalLong nextUsn(String controller, String baseDn) {
        return jdbc.sql("SELECT next_usn FROM directory_watermark WHERE controller = :controller AND base_dn = :base")
                .param("controller", key(controller))
                .param("base", key(baseDn))
                .query(Long.class).optional().map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Records that every recovery object with a lower uSNChanged is imported; never moves the watermark back. */
    public void saveNextUsn(String controller, String baseDn, long nextUsn, Instant now) {
        int updated = jdbc.sql("""
                        UPDATE directory_watermark SET next_usn = :usn, updated_at = :now
                        WHERE controller = :controller AND base_dn = :base AND next_usn <= :usn""")
                .param("usn", nextUsn)
                .param("now", toDb(now))
                .param("controller", key(controller))
                .param("base", key(baseDn))
                .update();
        if (updated == 0) {
            jdbc.sql("""
                            INSERT INTO directory_watermark (controller, base_dn, next_usn, updated_at)
                            VALUES (:controller, :base, :usn, :now) ON CONFLICT DO NOTHING""")
                    .param("controller", key(controller))
                    .param("base", key(baseDn))
                    .param("usn", nextUsn)
                    .param("now", toDb(now))
                    .update();
        }
    }

    /**
     * Takes (or renews) the lease on {@code job} for {@code holder} until {@code until}: answers whether
     * this holder has it now. Free, expired or already this holder's: taken; another's that runs: not.
     */
    public boolean tryLease(String job, String holder, Instant now, Instant until) {
        return jdbc.sql("""
                        UPDATE job_lease SET holder = :holder, expires_at = :until
                        WHERE job = :job AND (holder IS NULL OR holder = :holder OR expires_at IS NULL OR expires_at < :now)""")
                .param("holder", holder)
                .param("until", toDb(until))
                .param("job", job)
                .param("now", toDb(now))
                .update() == 1;
    }

    /** Gives the lease up, if this holder has it. */
    public void releaseLease(String job, String holder) {
        jdbc.sql("UPDATE job_lease SET holder = NULL, expires_at = NULL WHERE job = :job AND holder = :holder")
                .param("job", job)
                .param("holder", holder)
                .update();
    }

    /** Controller names and DNs compare case-insensitively, as the directory compares them. */
    private static String key(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }
}
