package com.lockkeeper.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.EmbeddedDatabase;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.PackagedServer;
import com.lockkeeper.testing.PostgresCluster;
import com.lockkeeper.testing.SharedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An installation upgraded in place: a database written by an earlier release (the fixtures
 * under src/test/resources/upgrade, see their README) is opened by this build's jar, once as the
 * embedded database's data directory and once as a PostgreSQL dump restored into a new database.
 * The migrations since run, every recovery password escrowed then decrypts to itself, and the
 * audit chain written by both versions verifies.
 */
class UpgradeIT {

    static final Path FIXTURES = Path.of("src/test/resources/upgrade");
    static final String RELEASE = "d86cae4";
    static final String LAST_MIGRATION_OF_THAT_RELEASE = "43";
    static final String[] MIGRATIONS_SINCE = {"44", "45", "46", "47", "48", "49", "50"};

    @TempDir
    Path work;

    @Test
    void theEmbeddedDatabaseOfTheEarlierReleaseOpensMigratedWithEveryKeyAndAnIntactAuditChain() throws Exception {
        Path fixture = FIXTURES.resolve("h2-" + RELEASE);
        Path data = copyDataDirectory(fixture);
        JsonNode expected = expectedKeys(fixture);
        String url = EmbeddedDatabase.jdbcUrl(data);
        assertThat(appliedMigrations(() -> DriverManager.getConnection(url, "", EmbeddedDatabase.readPassword(data))))
                .as("the fixture as that release left it").endsWith(LAST_MIGRATION_OF_THAT_RELEASE);
        upgradeAndCheck(PackagedServer.dataArguments(data, expected.path("nodeName").asString()), expected,
                () -> DriverManager.getConnection(url, "", EmbeddedDatabase.readPassword(data)));
    }

    @Test
    void thePostgresqlDumpOfTheEarlierReleaseRestoredOpensMigratedWithEveryKeyAndAnIntactAuditChain() throws Exception {
        Path fixture = FIXTURES.resolve("postgresql-" + RELEASE);
        PostgresCluster postgres = SharedPostgres.cluster();
        String url = postgres.newDatabase();
        postgres.restore(url, fixture.resolve(UpgradeFixture.DUMP));
        assertThat(appliedMigrations(() -> postgres.connect(url))).as("the dump as that release left it")
                .endsWith(LAST_MIGRATION_OF_THAT_RELEASE);
        Path data = copyDataDirectory(fixture);
        JsonNode expected = expectedKeys(fixture);
        upgradeAndCheck(PackagedServer.dataArguments(data, expected.path("nodeName").asString(),
                postgres.lockkeeperArguments(url)), expected, () -> postgres.connect(url));
    }

    /** A connection to the upgraded database, opened while the server runs. */
    interface Database {
        Connection connect() throws SQLException;
    }

    /**
     * Serves this build's jar on the earlier release's installation, then checks the migrations,
     * reveals every expected key through the API, and runs {@code verify} and {@code audit verify}.
     */
    void upgradeAndCheck(List<String> node, JsonNode expected, Database database) throws Exception {
        try (PackagedServer server = PackagedServer.serve(work, "upgraded", node)) {
            assertThat(appliedMigrations(database)).as("the migrations since that release ran")
                    .contains(LAST_MIGRATION_OF_THAT_RELEASE).contains(MIGRATIONS_SINCE);
            String staff = staffToken(server);
            ApiClient api = server.api();
            List<String> failures = new ArrayList<>();
            for (JsonNode key : expected.path("keys")) {
                String hex = key.path("recoveryPasswordId").asString().replaceAll("[{}-]", "").toLowerCase();
                Response reveal = api.post("/api/v1/recovery-keys/" + hex + "/reveal", staff, """
                        {"requester": "CORP\\\\alice", "identityVerification": "Call back to the number on file",
                         "reason": "Lost or forgotten PIN", "notes": "upgrade check"}""");
                if (reveal.status() != 200
                        || !key.path("recoveryPassword").asString().equals(reveal.json().path("recoveryPassword").asString())) {
                    failures.add(key.path("computer").asString() + " (" + reveal.status() + ")");
                }
            }
            assertThat(failures).as("keys escrowed by the earlier release that do not decrypt to themselves").isEmpty();
            assertThat(expected.path("keys").size()).isEqualTo(UpgradeFixture.KEYS);
            assertThat(server.admin("verify", "--sample", "1000")).contains(UpgradeFixture.KEYS + " of " + UpgradeFixture.KEYS);
            assertThat(server.admin("audit", "verify")).contains("intact");
        }
    }

    /** The fixture's data directory copied to a new one, as the node had it. */
    Path copyDataDirectory(Path fixture) throws Exception {
        Path data = work.resolve("data");
        Files.createDirectories(data);
        try (Stream<Path> files = Files.list(fixture.resolve("data"))) {
            for (Path file : files.toList()) {
                Files.copy(file, data.resolve(file.getFileName()));
            }
        }
        return data;
    }

    static JsonNode expectedKeys(Path fixture) {
        return JsonMapper.builder().build().readTree(fixture.resolve("expected-keys.json").toFile());
    }

    /** The versions in Flyway's history, in the order they were applied; every one succeeded. */
    static List<String> appliedMigrations(Database database) throws SQLException {
        List<String> versions = new ArrayList<>();
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                assertThat(rs.getBoolean("success")).as("migration " + rs.getString("version")).isTrue();
                versions.add(rs.getString("version"));
            }
        }
        return versions;
    }

    String staffToken(PackagedServer server) throws Exception {
        Path password = work.resolve("staff-password");
        Files.writeString(password, "a long staff password 4 tests\n");
        server.admin("user", "add", "upgraded-staff", "--role", "ADVANCED_HELPDESK,AUDITOR", "--password-file",
                password.toString());
        List<String> lines = server.admin("token", "create", "--user", "upgraded-staff").strip().lines().toList();
        return lines.get(lines.size() - 1).strip();
    }
}
