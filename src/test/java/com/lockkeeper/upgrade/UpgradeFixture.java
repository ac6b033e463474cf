package com.lockkeeper.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.PackagedServer;
import com.lockkeeper.testing.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes an upgrade fixture: an installation written by an earlier release's jar, with the DMK
 * password and the recovery passwords it holds. Not part of the build; run by hand with that
 * release's jar (see src/test/resources/upgrade/README.md). The embedded database:
 * <pre>
 * mvn test -Dtest=UpgradeFixture -Dlockkeeper.jar=OLD.jar -Dlockkeeper.upgrade.out=src/test/resources/upgrade/NAME
 * </pre>
 * PostgreSQL, on a server run from the installation {@code lockkeeper.upgrade.postgresql} names
 * (which has {@code pg_dump}), ending with a plain SQL dump of the database:
 * <pre>
 * mvn test -Dtest=UpgradeFixture -Dlockkeeper.jar=OLD.jar -Dlockkeeper.upgrade.postgresql=/usr/lib/postgresql/15 \
 *     -Dlockkeeper.upgrade.out=src/test/resources/upgrade/NAME
 * </pre>
 */
class UpgradeFixture {

    static final String NODE_NAME = "upgrade-node";
    static final int KEYS = 40;
    static final int REVEALED = 10;
    /** The PostgreSQL fixture's database, as {@code pg_dump} wrote it. */
    static final String DUMP = "lockkeeper.sql";

    record Expected(String nodeName, List<Map<String, Object>> keys) {
    }

    @TempDir
    Path work;

    @Test
    @EnabledIfSystemProperty(named = "lockkeeper.upgrade.out", matches = ".+")
    void writeAFixtureWithTheEarlierRelease() throws Exception {
        Path out = Path.of(System.getProperty("lockkeeper.upgrade.out")).toAbsolutePath();
        assertThat(out).doesNotExist();
        Path data = work.resolve("data");
        String postgresql = System.getProperty("lockkeeper.upgrade.postgresql", "");
        List<Map<String, Object>> keys;
        if (postgresql.isEmpty()) {
            keys = escrowAndReveal(PackagedServer.dataArguments(data, NODE_NAME));
            Files.createDirectories(out);
        } else {
            try (PostgresCluster cluster = PostgresCluster.primary("upgrade-fixture", Path.of(postgresql))) {
                keys = escrowAndReveal(PackagedServer.dataArguments(data, NODE_NAME, cluster.lockkeeperArguments()));
                Files.createDirectories(out);
                cluster.dump(out.resolve(DUMP));
            }
        }
        Files.createDirectories(out.resolve("data"));
        Files.move(data.resolve("dmk-password.txt"), out.resolve("dmk-password.txt"));
        try (Stream<Path> files = Files.list(data)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".lock.db") && !name.endsWith(".trace.db")) {
                    Files.copy(file, out.resolve("data").resolve(name));
                }
            }
        }
        Files.writeString(out.resolve("expected-keys.json"), JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
                .writeValueAsString(new Expected(NODE_NAME, keys)) + "\n");
    }

    /**
     * Serves a new installation with the earlier jar, escrows {@link #KEYS} keys with the
     * enrollment token the first start printed, has a staff user reveal the first
     * {@link #REVEALED}, and stops the server with SIGTERM.
     */
    private List<Map<String, Object>> escrowAndReveal(List<String> node) throws Exception {
        List<Map<String, Object>> keys = new ArrayList<>();
        try (PackagedServer server = PackagedServer.serve(work, "earlier", node)) {
            String device = server.enrollmentToken();
            ApiClient api = server.api();
            Path staffPassword = work.resolve("staff-password");
            Files.writeString(staffPassword, "a long staff password 4 tests\n");
            server.admin("user", "add", "upgrade-staff", "--role", "ADVANCED_HELPDESK,AUDITOR", "--password-file",
                    staffPassword.toString());
            List<String> lines = server.admin("token", "create", "--user", "upgrade-staff").strip().lines().toList();
            String staff = lines.get(lines.size() - 1).strip();
            for (int i = 0; i < KEYS; i++) {
                String computer = "UPGRADE-" + i + ".corp.example.com";
                var password = Escrows.newPassword();
                Map<String, Object> body = Escrows.body(computer, password);
                Response escrow = api.post("/api/v1/escrow", device, Escrows.json(body));
                assertThat(escrow.status()).as(escrow.body()).isIn(200, 201);
                Map<String, Object> key = new LinkedHashMap<>();
                key.put("computer", computer);
                key.put("recoveryPasswordId", body.get("recoveryPasswordId"));
                key.put("recoveryPassword", password.reveal());
                key.put("revealed", i < REVEALED);
                keys.add(key);
                if (i < REVEALED) {
                    String hex = ((String) body.get("recoveryPasswordId")).replaceAll("[{}-]", "").toLowerCase();
                    Response reveal = api.post("/api/v1/recovery-keys/" + hex + "/reveal", staff, """
                            {"requester": "CORP\\\\alice", "identityVerification": "Call back to the number on file",
                             "reason": "Lost or forgotten PIN", "notes": "upgrade fixture"}""");
                    assertThat(reveal.status()).as(reveal.body()).isEqualTo(200);
                }
            }
            server.stop();
        }
        return keys;
    }
}
