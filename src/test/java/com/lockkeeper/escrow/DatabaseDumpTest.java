package com.lockkeeper.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.Secrets;
import com.lockkeeper.testing.TestDatabase;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.users.Role;
import com.lockkeeper.tokens.ApiTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What someone with the database alone would see: a dump of every table (web sessions
 * included), on H2 and PostgreSQL, and the raw files of the embedded database after shutdown.
 * None may hold a recovery password, a key package, a token or a password in any spelling. The
 * scanner proves itself on a planted canary in the same database and files.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.class)
class DatabaseDumpTest {

    @Parameter
    TestDatabase database;

    private static final int ESCROWS = 50;
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dataDir;

    @Test
    void noTableSessionOrFileOfTheDatabaseHoldsAPasswordAKeyPackageOrAToken() throws IOException {
        Secrets secrets = new Secrets();
        Secrets canary = new Secrets();
        ConfigurableApplicationContext context = Installations.webServer(dataDir, "dump-test", database.newInstallation());
        try {
            JdbcClient jdbc = context.getBean(JdbcClient.class);
            ApiTokens tokens = context.getBean(ApiTokens.class);
            String token = tokens.createEnrollmentToken("dump-test", Actor.system("test")).secret();
            secrets.text("enrollment token", token);
            ApiClient api = new ApiClient(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));

            int stored = escrowThroughTheApi(api, token, secrets);
            useTheWebAsStaffAndScripts(context, secrets, token);
            assertThat(stored).isGreaterThan(ESCROWS);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM recovery_key").query(Long.class).single()).isEqualTo(stored);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM key_secret WHERE key_package_ct IS NOT NULL").query(Long.class).single())
                    .isGreaterThan(0);
            // The DMK password is meant for offline storage, never the database.
            secrets.text("DMK password", Files.readString(dataDir.resolve("dmk-password.txt")).strip());

            // (a) Every value of every column of every table.
            Map<String, Integer> rowsPerTable = new LinkedHashMap<>();
            Set<String> found = dumpAndScan(jdbc, secrets, rowsPerTable);
            assertThat(rowsPerTable).containsKeys("recovery_key", "audit_log", "seal_epoch", "api_token", "computer", "volume",
                    "spring_session", "spring_session_attributes");
            assertThat(rowsPerTable.get("spring_session")).as("live web sessions").isPositive();
            assertThat(rowsPerTable.get("recovery_key")).isEqualTo(stored);
            assertThat(found).as("secrets in the database dump of tables %s", rowsPerTable.keySet()).isEmpty();

            // The scanner finds each spelling when it is there: plant a canary password and key package.
            RecoveryPassword planted = Escrows.newPassword();
            canary.recoveryPassword("canary password", planted);
            byte[] plantedKeyPackage = randomBytes(200);
            canary.bytes("canary key package", plantedKeyPackage);
            plant(jdbc, planted, plantedKeyPackage);
            Set<String> canaryHits = dumpAndScan(jdbc, canary, new LinkedHashMap<>());
            assertThat(canaryHits).as("canary found in the dump, where it was planted only")
                    .allMatch(hit -> hit.endsWith(" in canary.t") || hit.endsWith(" in canary.b"))
                    .map(hit -> hit.substring(0, hit.lastIndexOf(" in "))).containsAll(canary.names());
            assertThat(dumpAndScan(jdbc, secrets, new LinkedHashMap<>())).isEmpty();
        } finally {
            context.close();
        }

        if (database != TestDatabase.H2) {
            return; // PostgreSQL's files are the database server's, dumped above
        }
        // (b) The raw files, once H2 has closed the database.
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        List<String> names = files.stream().map(f -> dataDir.relativize(f).toString()).toList();
        assertThat(names).as("files in the data directory").contains("lockkeeper.mv.db", "dmk-password.txt", "node.key", "db-password");
        assertThat(names).as("the database was shut down").doesNotContain("lockkeeper.lock.db");
        assertThat(names.stream().filter(n -> !List.of("dmk-password.txt", "node.key", "db-password", "audit-anchors", "audit.key").contains(n)))
                .as("every other file is the database's").allMatch(n -> n.matches("lockkeeper\\.[a-z.]*db"));

        Set<String> inFiles = new LinkedHashSet<>();
        Set<String> canaryInFiles = new LinkedHashSet<>();
        for (Path file : files) {
            String name = dataDir.relativize(file).toString();
            if (name.equals("dmk-password.txt") || name.equals("node.key") || name.equals("audit.key")) {
                continue; // the secrets the admin moves offline, and this node's keys: by design
            }
            byte[] bytes = Files.readAllBytes(file);
            secrets.foundInBytes(bytes).forEach(s -> inFiles.add(s + " in " + name));
            canaryInFiles.addAll(canary.foundInBytes(bytes));
        }
        assertThat(inFiles).as("secrets in the database files").isEmpty();
        assertThat(canaryInFiles).as("canary found in the database files").containsExactlyInAnyOrderElementsOf(canary.names());
    }

    /**
     * A helpdesk user signs in (a live session in the database), and tokens are sent where they do
     * not belong: to a page (which keeps where a signed-out caller was going) and to the staff API.
     */
    private static void useTheWebAsStaffAndScripts(ConfigurableApplicationContext context, Secrets secrets, String enrollment) {
        String helpdesk = People.add(context, "dump", Role.HELPDESK);
        secrets.text("staff password", People.PASSWORD);
        String personal = People.token(context, helpdesk);
        secrets.text("personal access token", personal);
        int port = Installations.port(context);
        WebSession signedIn = WebSession.signedIn(port, helpdesk, People.PASSWORD);
        assertThat(signedIn.get("/helpdesk").status()).isEqualTo(200);
        for (String token : List.of(personal, enrollment)) {
            WebSession script = new WebSession(port);
            script.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/helpdesk"))
                    .header("Authorization", "Bearer " + token).GET().build());
        }
    }

    /** Escrows through the API; returns how many keys were stored. */
    private static int escrowThroughTheApi(ApiClient api, String token, Secrets secrets) {
        int stored = 0;
        for (int i = 0; i < ESCROWS; i++) {
            RecoveryPassword password = Escrows.newPassword();
            secrets.recoveryPassword("password " + i, password);
            Map<String, Object> body = Escrows.body("DUMP-" + (i % 7) + ".corp.example.com", password);
            byte[] keyPackage = null;
            if (i % 3 == 0) {
                keyPackage = randomBytes(256 + i);
                secrets.bytes("key package " + i, keyPackage);
                body.put("keyPackage", Base64.getEncoder().encodeToString(keyPackage));
            }
            assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).as("escrow %d", i).isEqualTo(201);
            stored++;
            if (i % 10 == 5) {
                // The same again, and a different password under the same ID: neither may leave a trace either.
                assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(200);
                RecoveryPassword other = Escrows.newPassword();
                secrets.recoveryPassword("conflicting password " + i, other);
                body.put("recoveryPassword", other.reveal());
                assertThat(api.post("/api/v1/escrow", token, Escrows.json(body)).status()).isEqualTo(409);
            }
            if (i % 10 == 7) {
                // A key package added on a repeat.
                byte[] late = randomBytes(300);
                secrets.bytes("late key package " + i, late);
                Map<String, Object> first = Escrows.body("DUMP-LATE-" + i, Escrows.newPassword());
                secrets.recoveryPassword("late password " + i, RecoveryPassword.parse((String) first.get("recoveryPassword")));
                assertThat(api.post("/api/v1/escrow", token, Escrows.json(first)).status()).isEqualTo(201);
                stored++;
                first.put("keyPackage", Base64.getEncoder().encodeToString(late));
                assertThat(api.post("/api/v1/escrow", token, Escrows.json(first)).status()).isEqualTo(200);
            }
        }
        return stored;
    }

    /** SELECT * of every table in the public schema: every value as text, binary values also as hex, base64 and raw. */
    private static Set<String> dumpAndScan(JdbcClient jdbc, Secrets secrets, Map<String, Integer> rowsPerTable) {
        List<String> tables = jdbc.sql("""
                        SELECT table_name FROM information_schema.tables
                        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name""")
                .query(String.class).list();
        assertThat(tables).isNotEmpty();
        Set<String> found = new LinkedHashSet<>();
        for (String table : tables) {
            int[] rows = {0};
            jdbc.sql("SELECT * FROM \"" + table + "\"").query((ResultSet rs) -> {
                rows[0]++;
                ResultSetMetaData meta = rs.getMetaData();
                for (int c = 1; c <= meta.getColumnCount(); c++) {
                    String where = " in " + table + "." + meta.getColumnName(c);
                    for (String rendering : render(rs, c, meta.getColumnType(c))) {
                        secrets.foundInText(rendering).forEach(s -> found.add(s + where));
                    }
                    if (isBinary(meta.getColumnType(c))) {
                        byte[] bytes = rs.getBytes(c);
                        if (bytes != null && bytes.length >= 16) {
                            secrets.foundInBytes(bytes).forEach(s -> found.add(s + where));
                        }
                    }
                }
            });
            rowsPerTable.put(table, rows[0]);
        }
        return found;
    }

    private static List<String> render(ResultSet rs, int column, int type) throws SQLException {
        List<String> renderings = new ArrayList<>();
        renderings.add(rs.getString(column));
        if (isBinary(type)) {
            byte[] bytes = rs.getBytes(column);
            if (bytes != null) {
                renderings.add(HexFormat.of().formatHex(bytes));
                renderings.add(HexFormat.of().withUpperCase().formatHex(bytes));
                renderings.add(Base64.getEncoder().encodeToString(bytes));
                renderings.add(Base64.getUrlEncoder().encodeToString(bytes));
                renderings.add(new String(bytes, StandardCharsets.ISO_8859_1));
            }
        }
        return renderings;
    }

    private static boolean isBinary(int type) {
        return type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB;
    }

    /** Each spelling of the canary in a row of its own, as text or as bytes, in a table of its own. */
    private static void plant(JdbcClient jdbc, RecoveryPassword password, byte[] keyPackage) {
        jdbc.sql("CREATE TABLE canary (t VARCHAR(1000), b BYTEA)").update();
        String dashed = password.reveal();
        List<String> texts = new ArrayList<>(List.of(dashed, dashed.replace("-", ""), dashed.replace('-', ' ')));
        for (byte[] bytes : List.of(password.keyBytes(), keyPackage)) {
            texts.addAll(List.of(HexFormat.of().formatHex(bytes), HexFormat.of().withUpperCase().formatHex(bytes),
                    Base64.getEncoder().encodeToString(bytes), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)));
            jdbc.sql("INSERT INTO canary (b) VALUES (:b)").param("b", bytes).update();
        }
        for (String text : texts) {
            jdbc.sql("INSERT INTO canary (t) VALUES (:t)").param("t", text).update();
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
