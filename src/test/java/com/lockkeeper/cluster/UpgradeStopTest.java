package com.lockkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.EmbeddedDatabase;
import com.lockkeeper.testing.Installations;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V51 moves the sealed secrets out of recovery_key, which nodes of the earlier version read: it
 * runs only once no other node has sent a heartbeat for a while, and says which nodes to stop.
 */
class UpgradeStopTest {

    @TempDir
    Path dataDir;

    @Test
    void theSecretsMoveOnlyWhenNoOtherNodeRunsAndTheRefusalNamesTheNodesToStop() throws Exception {
        Installations.server(dataDir, "node-a", "--spring.flyway.target=50").close();
        seen("node-b", "0.9.0", Instant.now());
        seen("node-a", "0.9.0", Instant.now()); // this node's own row, from before its upgrade

        assertThatThrownBy(() -> Installations.server(dataDir, "node-a").close())
                .rootCause()
                .hasMessageContaining("Migration V51")
                .hasMessageContaining("node-b (version 0.9.0)")
                .hasMessageNotContaining("node-a (version")
                .hasMessageContaining("Stop them");
        assertThat(tableExists("key_secret")).as("nothing migrated").isFalse();

        seen("node-b", "0.9.0", Instant.now().minus(UpgradeStop.RUNNING_WITHIN).minusSeconds(5));
        Installations.server(dataDir, "node-a").close();
        assertThat(tableExists("key_secret")).isTrue();
    }

    private void seen(String node, String version, Instant at) throws SQLException {
        try (Connection db = connect();
                PreparedStatement merge = db.prepareStatement("""
                        MERGE INTO node (name, version, started_at, last_seen, state) KEY (name)
                        VALUES (?, ?, ?, ?, 'open')""")) {
            merge.setString(1, node);
            merge.setString(2, version);
            merge.setObject(3, at.atOffset(ZoneOffset.UTC));
            merge.setObject(4, at.atOffset(ZoneOffset.UTC));
            merge.executeUpdate();
        }
    }

    private boolean tableExists(String table) throws SQLException {
        try (Connection db = connect(); var rows = db.getMetaData().getTables(null, null, table, null)) {
            return rows.next();
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(EmbeddedDatabase.jdbcUrl(dataDir), "",
                EmbeddedDatabase.readPassword(dataDir));
    }
}
