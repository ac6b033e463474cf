package com.lockkeeper.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.PackagedServer;
import com.lockkeeper.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Lockkeeper's two promises, tried against the packaged jar as an attacker and a broken machine
 * would: an acknowledged escrow and an audit record are never lost, and nobody reads what they
 * should not.
 */
class TrustIT {

    static final String REVEAL_BODY = """
            {"requester": "CORP\\\\alice", "identityVerification": "Call back to the number on file",
             "reason": "Lost or forgotten PIN", "notes": "crash test"}""";

    @TempDir
    Path work;

    /** What the server acknowledged before it died: escrows answered 201/200, passwords shown. */
    record Acknowledged(String computer, String recoveryPasswordId, String password) {
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aKilledServerKeepsEveryAcknowledgedEscrowAndAuditsEveryShownPassword(TestDatabase database) throws Exception {
        List<String> data = PackagedServer.dataArguments(work.resolve("data"), "crash-node", database.newInstallation());
        try (PackagedServer server = PackagedServer.serve(work, "crash", data)) {
            String device = server.enrollmentToken();
            String staff = staffToken(server);
            ApiClient api = server.api();
            List<Acknowledged> toReveal = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                toReveal.add(escrow(api, device, "CRASH-R" + i + ".corp.example.com"));
            }

            Queue acknowledged = new Queue();
            Queue shown = new Queue();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService load = Executors.newFixedThreadPool(8);
            for (int t = 0; t < 6; t++) {
                int thread = t;
                load.submit(() -> {
                    for (int n = 0; running.get(); n++) {
                        try {
                            acknowledged.add(escrow(api, device, "CRASH-" + thread + "-" + n + ".corp.example.com"));
                        } catch (RuntimeException serverGone) {
                            return;
                        }
                    }
                });
            }
            ConcurrentLinkedQueue<Acknowledged> revealQueue = new ConcurrentLinkedQueue<>(toReveal);
            for (int t = 0; t < 2; t++) {
                load.submit(() -> {
                    for (Acknowledged key; running.get() && (key = revealQueue.poll()) != null; ) {
                        try {
                            Response response = api.post("/api/v1/recovery-keys/" + hex(key) + "/reveal", staff, REVEAL_BODY);
                            if (response.status() == 200) {
                                assertThat(response.json().path("recoveryPassword").asString()).isEqualTo(key.password());
                                shown.add(key);
                            }
                        } catch (RuntimeException serverGone) {
                            return;
                        }
                    }
                });
            }
            Thread.sleep(ThreadLocalRandom.current().nextLong(1_500, 4_000));
            server.kill();
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(acknowledged.size()).as("escrows acknowledged before the kill").isGreaterThan(50);
            assertThat(shown.size()).as("passwords shown before the kill").isPositive();

            server.start();

            Set<String> audited = revealsAudited(api, staff);
            List<String> unaudited = new ArrayList<>();
            List<String> notDisclosed = new ArrayList<>();
            for (Acknowledged key : shown.all()) {
                if (!audited.contains("key " + key.recoveryPasswordId())) {
                    unaudited.add(key.recoveryPasswordId());
                }
                String status = status(api, staff, key);
                if (!"disclosed".equals(status)) {
                    notDisclosed.add(key.recoveryPasswordId() + " (" + status + ")");
                }
            }
            List<String> lost = new ArrayList<>();
            for (Acknowledged key : acknowledged.all()) {
                Response reveal = api.post("/api/v1/recovery-keys/" + hex(key) + "/reveal", staff, REVEAL_BODY);
                if (reveal.status() != 200 || !key.password().equals(reveal.json().path("recoveryPassword").asString())) {
                    lost.add(key.computer() + " " + key.recoveryPasswordId() + " (" + reveal.status() + ")");
                }
            }
            System.out.printf("%s: %d acknowledged escrows, %d shown passwords; lost escrows %s, unaudited %s, not disclosed %s%n",
                    database, acknowledged.size(), shown.size(), lost, unaudited, notDisclosed);
            assertThat(lost).as("escrows acknowledged before the kill and not stored after it").isEmpty();
            assertThat(unaudited).as("passwords shown before the kill without their audit record").isEmpty();
            assertThat(notDisclosed).as("passwords shown before the kill whose key is not disclosed").isEmpty();
        }
    }

    @org.junit.jupiter.api.Test
    void theEmbeddedDatabaseIsTheOwnersAloneOnDiskAndOnTheNetwork() throws Exception {
        Path dataDir = work.resolve("data");
        try (PackagedServer server = PackagedServer.serve(work, "modes", PackagedServer.dataArguments(dataDir, "modes-node"))) {
            assertOwnerOnly(dataDir);

            // H2's mixed-mode server (for admin commands beside the server) listens on loopback only...
            java.util.Properties lock = new java.util.Properties();
            try (var in = Files.newInputStream(dataDir.resolve("lockkeeper.lock.db"))) {
                lock.load(in);
            }
            String address = lock.getProperty("server");
            assertThat(address).as("the mixed-mode server's address in the lock file").matches("(127\\.0\\.0\\.1|localhost):[0-9]+");
            int h2Port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
            assertThat(listeningAddresses(h2Port)).as("where H2's server socket is bound").containsOnly("127.0.0.1");

            // ...and the database needs the generated password, which only the owner can read.
            String url = com.lockkeeper.EmbeddedDatabase.jdbcUrl(dataDir);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url, "", "").close())
                    .isInstanceOfSatisfying(java.sql.SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"));
            // the admin commands read it and keep working beside the server
            assertThat(server.admin("token", "list")).contains("default-enrollment");

            // An installation made before these rules is tightened at its next start, with a line saying so.
            server.stop();
            Files.setPosixFilePermissions(dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(dataDir.resolve("lockkeeper.mv.db"),
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            server.start();
            assertOwnerOnly(dataDir);
            assertThat(server.output()).contains("other users could read the data directory; tightened " + dataDir
                    + " (now 0700), lockkeeper.mv.db (now 0600)");
        }
    }

    @org.junit.jupiter.api.Test
    void simultaneousGuessesAreThrottledAndTheSessionTableHoldsNoTokenOnThePackagedServer() throws Exception {
        Path dataDir = work.resolve("data");
        try (PackagedServer server = PackagedServer.serve(work, "race", PackagedServer.dataArguments(dataDir, "race-node"))) {
            String staff = staffToken(server);
            Path password = work.resolve("victim-password");
            Files.writeString(password, "the victim's long password\n");
            server.admin("user", "add", "victim", "--role", "HELPDESK", "--password-file", password.toString());

            // 40 wrong guesses at once from one address, then the right password.
            List<com.lockkeeper.testing.WebSession> guessers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                com.lockkeeper.testing.WebSession session = new com.lockkeeper.testing.WebSession(server.port());
                session.get("/login");
                guessers.add(session);
            }
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(40);
            List<java.util.concurrent.Future<com.lockkeeper.testing.WebSession.Page>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                com.lockkeeper.testing.WebSession session = guessers.get(i);
                String guess = "guess " + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return session.signIn("victim", guess);
                }));
            }
            start.countDown();
            for (var answer : answers) {
                answer.get();
            }
            pool.shutdown();
            long checked = 0;
            long throttled = 0;
            for (JsonNode entry : get(server.api(), staff, "/api/v1/audit?action=signin&size=200").json().path("records")) {
                if (entry.path("target").asString().equals("user victim")) {
                    String detail = entry.path("detail").asString();
                    checked += detail.contains("wrong user name or password") ? 1 : 0;
                    throttled += detail.contains("throttled") ? 1 : 0;
                }
            }
            assertThat(checked).as("password checks among 40 simultaneous guesses (limit 5)").isLessThanOrEqualTo(5);
            assertThat(throttled).isGreaterThanOrEqualTo(35);
            com.lockkeeper.testing.WebSession late = new com.lockkeeper.testing.WebSession(server.port());
            late.get("/login");
            String afterRace = late.signIn("victim", "the victim's long password").location();
            if (checked == 5) { // guesses that all saw each other are refused unchecked and count for nothing
                assertThat(afterRace).as("the right password after the limit is refused").contains("/login");
            }

            // A script that sends its token to a page: the server remembers the page, never the token.
            server.api().send(HttpRequest.newBuilder(URI.create(server.api().base() + "/helpdesk"))
                    .header("Authorization", "Bearer " + staff).GET().build());
            server.stop();
            String url = com.lockkeeper.EmbeddedDatabase.jdbcUrl(dataDir);
            try (var connection = java.sql.DriverManager.getConnection(url, "",
                    com.lockkeeper.EmbeddedDatabase.readPassword(dataDir));
                    var rows = connection.createStatement().executeQuery("SELECT attribute_bytes FROM spring_session_attributes")) {
                int attributes = 0;
                while (rows.next()) {
                    attributes++;
                    assertThat(new String(rows.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
                            .doesNotContain(staff.substring(4)).doesNotContain("Bearer");
                }
                assertThat(attributes).as("sessions were stored").isPositive();
            }
        }
    }

    static void assertOwnerOnly(Path dataDir) throws java.io.IOException {
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir)))
                .as("the data directory's mode").isEqualTo("rwx------");
        try (var files = Files.list(dataDir)) {
            for (Path file : files.toList()) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                        .as("the mode of %s", file.getFileName()).isEqualTo("rw-------");
            }
        }
    }

    /** The local addresses a TCP port is bound to, from the kernel's socket table (IPv4 and IPv6). */
    static Set<String> listeningAddresses(int port) throws java.io.IOException {
        Set<String> addresses = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).subList(1, Files.readAllLines(Path.of(table)).size())) {
                String[] columns = line.trim().split("\\s+");
                String[] local = columns[1].split(":");
                boolean listening = "0A".equals(columns[3]);
                if (listening && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(decode(local[0]));
                }
            }
        }
        return addresses;
    }

    private static String decode(String hex) {
        if (hex.length() == 8) { // IPv4, little-endian
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        }
        if (hex.startsWith("0000000000000000FFFF0000")) { // IPv4-mapped IPv6
            return decode(hex.substring(24));
        }
        return hex.equals("00000000000000000000000000000000") ? "::" : hex;
    }

    static Acknowledged escrow(ApiClient api, String token, String computer) {
        var password = Escrows.newPassword();
        Map<String, Object> body = Escrows.body(computer, password);
        Response response = api.post("/api/v1/escrow", token, Escrows.json(body));
        if (response.status() != 201 && response.status() != 200) {
            throw new IllegalStateException("escrow answered " + response.status());
        }
        return new Acknowledged(computer, (String) body.get("recoveryPasswordId"), password.reveal());
    }

    /** A user with both staff roles the test needs, and a personal access token for them, made with the admin commands. */
    String staffToken(PackagedServer server) throws Exception {
        Path password = work.resolve("staff-password");
        Files.writeString(password, "a long staff password 4 tests\n");
        server.admin("user", "add", "crash-staff", "--role", "ADVANCED_HELPDESK,AUDITOR", "--password-file", password.toString());
        List<String> lines = server.admin("token", "create", "--user", "crash-staff").strip().lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    static Set<String> revealsAudited(ApiClient api, String token) {
        Set<String> targets = new HashSet<>();
        for (int page = 0; ; page++) {
            JsonNode answer = get(api, token, "/api/v1/audit?action=reveal&size=200&page=" + page).json();
            for (JsonNode entry : answer.path("records")) {
                if ("success".equals(entry.path("outcome").asString())) {
                    targets.add(entry.path("target").asString());
                }
            }
            if (!answer.path("hasNext").asBoolean()) {
                return targets;
            }
        }
    }

    static String status(ApiClient api, String token, Acknowledged key) {
        JsonNode keys = get(api, token, "/api/v1/recovery-keys?id=" + hex(key)).json().path("keys");
        assertThat(keys).hasSize(1);
        return keys.get(0).path("status").asString();
    }

    static Response get(ApiClient api, String token, String path) {
        Response response = api.send(HttpRequest.newBuilder(URI.create(api.base() + path))
                .header("Authorization", "Bearer " + token).GET().build());
        assertThat(response.status()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response;
    }

    static String hex(Acknowledged key) {
        return key.recoveryPasswordId().replaceAll("[{}-]", "").toLowerCase();
    }

    /** Thread-safe record of what was acknowledged. */
    static final class Queue {
        private final Set<Acknowledged> items = ConcurrentHashMap.newKeySet();

        void add(Acknowledged item) {
            items.add(item);
        }

        int size() {
            return items.size();
        }

        List<Acknowledged> all() {
            return List.copyOf(items);
        }
    }
}
