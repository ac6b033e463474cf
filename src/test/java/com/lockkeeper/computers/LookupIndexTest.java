package com.lockkeeper.computers;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.SharedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The helpdesk's lookups use an index on both databases, as EXPLAIN shows: by computer name (and
 * so by drive label, whose first word is the name), a computer's keys, and the 8-character
 * password ID prefix — on PostgreSQL also in a database whose collation is not C, as production
 * databases usually are. At a million computers a scan instead of an index is the difference
 * between microseconds and a second.
 */
class LookupIndexTest {

    private static final Pattern NAMED = Pattern.compile("(?<!:):(\\w+)");

    @TempDir
    Path dataDir;

    @Test
    void h2UsesAnIndexForEveryLookup() throws SQLException {
        try (ConfigurableApplicationContext node = Installations.server(dataDir, "index-h2")) {
            DataSource db = node.getBean(DataSource.class);
            // H2 names a table scan "tableScan" and an index lookup by its condition.
            assertThat(explain(db, false, ComputerSearch.COMPUTER_BY_NAME, "PC-1")).contains("computer_name_unique")
                    .doesNotContain("tableScan");
            assertThat(explain(db, false, ComputerSearch.KEYS_BY_ID_PREFIX, "4D3C2B1A%", 25))
                    .contains("recovery_key_protector_unique").doesNotContain("tableScan");
            assertThat(explain(db, false, ComputerSearch.KEYS_OF_COMPUTER, 1L)).contains("computer_id = c.id")
                    .contains("volume_id = v.id").doesNotContain("tableScan");
        }
    }

    @Test
    void postgresqlUsesAnIndexForEveryLookupEvenWithALanguageCollation() throws SQLException {
        String url = SharedPostgres.cluster().newDatabaseWithLanguageCollation();
        try (ConfigurableApplicationContext node = Installations.server(dataDir, "index-pg",
                SharedPostgres.cluster().lockkeeperArguments(url))) {
            DataSource db = node.getBean(DataSource.class);
            assertThat(collation(db)).as("the database really is not C-collated").isEqualTo("C.utf8");
            // A generic plan made while the table was empty would keep scanning it (BENCHMARKS.md, finding 9).
            assertThat(setting(db, "plan_cache_mode")).isEqualTo("force_custom_plan");

            assertThat(explain(db, true, ComputerSearch.COMPUTER_BY_NAME, "PC-1")).contains("computer_name_unique")
                    .doesNotContain("Seq Scan");
            String prefix = explain(db, true, ComputerSearch.KEYS_BY_ID_PREFIX, "4D3C2B1A%", 25);
            assertThat(prefix).contains("recovery_key_protector_prefix").doesNotContain("Seq Scan on recovery_key");
            assertThat(explain(db, true, ComputerSearch.KEYS_OF_COMPUTER, 1L)).contains("volume_by_computer")
                    .contains("recovery_key_by_volume").doesNotContain("Seq Scan");
        }
    }

    private static String setting(DataSource db, String name) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String collation(DataSource db) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT datcollate FROM pg_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /**
     * The plan of a product query with its named parameters bound in order. On PostgreSQL
     * sequential scans are switched off for the session, so the plan says whether an index
     * <em>can</em> serve the query at all (the test tables are too small for the planner to want one).
     */
    private static String explain(DataSource db, boolean postgresql, String sql, Object... values) throws SQLException {
        List<String> names = new ArrayList<>();
        Matcher named = NAMED.matcher(sql);
        StringBuilder positional = new StringBuilder();
        while (named.find()) {
            names.add(named.group(1));
            named.appendReplacement(positional, "?");
        }
        named.appendTail(positional);
        assertThat(names).hasSize(values.length);
        try (Connection c = db.getConnection()) {
            if (postgresql) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET enable_seqscan = off");
                }
            }
            try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + positional)) {
                for (int i = 0; i < values.length; i++) {
                    explain.setObject(i + 1, values[i]);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                return plan.toString();
            } finally {
                if (postgresql) {
                    try (Statement s = c.createStatement()) {
                        s.execute("RESET enable_seqscan");
                    }
                }
            }
        }
    }
}
