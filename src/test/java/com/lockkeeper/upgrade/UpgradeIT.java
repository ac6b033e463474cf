package com.lockkeeper.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.EmbeddedDatabase;
import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.PackagedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An installation upgraded in place: a data directory written by an earlier release (the
 * fixture under src/test/resources/upgrade, see its README) is opened by this build's jar. The
 * migrations since run, every recovery password escrowed then decrypts to itself, and the
 * audit chain written by both versions verifies.
 */
class UpgradeIT {

    static final Path FIXTURE = Path.of("src/test/resources/upgrade/h2-d86cae4");
    static final String LAST_MIGRATION_OF_THAT_RELEASE = "43";

    @TempDir
    Path work;

    @Test
    void theEmbeddedDatabaseOfTheEarlierReleaseOpensMigratedWithEveryKeyAndAnIntactAuditChain() throws Exception {
        Path data = work.resolve("data");
        Files.createDirectories(data);
        try (Stream<Path> files = Files.list(FIXTURE.resolve("data"))) {
            for (Path file : files.toList()) {
                Files.copy(file, data.resolve(file.getFileName()));
            }
        }
        JsonNode expected = JsonMapper.builder().build().readTree(FIXTURE.resolve("expected-keys.json").toFile());
        String nodeName = expected.path("nodeName").asString();
        List<String> node = PackagedServer.dataArguments(data, nodeName);
        try (PackagedServer server = PackagedServer.serve(work, "upgraded", node)) {
            assertThat(appliedMigrations(data)).as("the migrations since that release ran")
                    .contains(LAST_MIGRATION_OF_THAT_RELEASE, "44", "45", "46", "47", "48", "49");
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

    /** The versions in Flyway's history, read through the embedded database's own connection while the server holds it. */
    static List<String> appliedMigrations(Path data) throws Exception {
        String url = "jdbc:h2:file:" + data.resolve("lockkeeper") + LockkeeperSettings.H2_OPTIONS;
        List<String> versions = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "", EmbeddedDatabase.readPassword(data));
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
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
