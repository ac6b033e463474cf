package com.lockkeeper.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.testing.Installations;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

class AuditAppendOnlyTest {

    @TempDir
    Path dataDir;

    @Test
    void theDatabaseRefusesToChangeOrDeleteAuditRecords() {
        try (ConfigurableApplicationContext node = Installations.server(dataDir, "audit-node")) {
            JdbcClient jdbc = node.getBean(JdbcClient.class);
            long records = jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single();
            assertThat(records).as("the first start is audited").isPositive();

            assertThatThrownBy(() -> jdbc.sql("UPDATE audit_log SET detail = 'forged'").update())
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> jdbc.sql("DELETE FROM audit_log").update())
                    .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> jdbc.sql("TRUNCATE TABLE audit_log").update()).isInstanceOf(DataAccessException.class);

            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log").query(Long.class).single()).isEqualTo(records);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE detail = 'forged'").query(Long.class).single()).isZero();
            assertThat(node.getBean(AuditVerifier.class).verify().intact()).isTrue();
        }
    }
}
