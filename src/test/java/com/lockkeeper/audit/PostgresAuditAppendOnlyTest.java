package com.lockkeeper.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.SharedPostgres;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The PostgreSQL migration's triggers: UPDATE, DELETE and TRUNCATE of audit records are refused by the database. */
class PostgresAuditAppendOnlyTest {

    @TempDir
    Path dataDir;

    @Test
    void postgresqlRefusesToChangeDeleteOrTruncateAuditRecords() {
        try (ConfigurableApplicationContext node = Installations.server(dataDir, "audit-node", SharedPostgres.newDatabaseArguments())) {
            JdbcClient jdbc = node.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT version()").query(String.class).single()).startsWith("PostgreSQL");
            long records = jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single();
            assertThat(records).as("the first start is audited").isPositive();

            assertThatThrownBy(() -> jdbc.sql("UPDATE audit_log SET detail = 'forged'").update())
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_log").update())
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> jdbc.sql("TRUNCATE audit_log").update())
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");

            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single()).isEqualTo(records);
            assertThat(node.getBean(AuditVerifier.class).verify().intact()).isTrue();
            assertThat(jdbc.sql("SELECT COUNT(*) FROM flyway_schema_history WHERE NOT success").query(Long.class).single())
                    .as("every migration ran on PostgreSQL").isZero();
        }
    }
}
