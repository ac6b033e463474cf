package com.lockkeeper.backup;

import com.lockkeeper.keys.HierarchyStatus;
import com.lockkeeper.keys.KeyCeremonies;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Reads what {@link RestoreNeeds} reports: the key hierarchy's state and the last datakey export the audit log names. */
@Component
public class BackupFacts {

    private final KeyCeremonies ceremonies;
    private final JdbcClient jdbc;

    BackupFacts(KeyCeremonies ceremonies, JdbcClient jdbc) {
        this.ceremonies = ceremonies;
        this.jdbc = jdbc;
    }

    public RestoreNeeds restoreNeeds() {
        HierarchyStatus keys = ceremonies.status();
        if (keys.dmkVersion() == null) {
            throw new IllegalStateException("this installation has no DMK yet: start the server once with `lockkeeper serve`");
        }
        record Export(Instant at, String target) {
        }
        Optional<Export> last = jdbc.sql("""
                        SELECT at, target FROM audit_log
                        WHERE action = 'datakey.export' AND LOWER(outcome) = 'success'
                        ORDER BY at DESC LIMIT 1""")
                .query((rs, n) -> new Export(rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getString("target")))
                .optional();
        long primary = keys.datakeyPrimaryKeyId() == null ? 0 : keys.datakeyPrimaryKeyId();
        return new RestoreNeeds(keys.dmkVersion(), keys.dmkCreatedAt(), primary, last.map(Export::at),
                last.map(e -> e.target().equals("datakey " + primary)).orElse(false));
    }
}
