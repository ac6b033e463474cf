package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.Commands;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.PackagedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an admin runs it: `java -jar lockkeeper.jar serve` as a real process, a first
 * start, a restart on the same data directory, and an admin command next to the running server.
 */
class PackagedJarIT {

    static final Pattern TOKEN = Pattern.compile("lke_[A-Za-z0-9_-]{43}");

    @TempDir
    Path work;

    @Test
    void aServiceKeepsTheFirstStartsSecretsOutOfItsOutputInTheFileItNames() throws Exception {
        Path dataDir = work.resolve("data");
        Path secrets = work.resolve("first-start.txt");
        Path log = work.resolve("service.log");
        int port = PackagedServer.freePort();
        String java = Commands.java();
        String jar = Path.of(System.getProperty("lockkeeper.jar", "target/lockkeeper.jar")).toAbsolutePath().toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar, "serve", "--data-dir", dataDir.toString(), "--port",
                Integer.toString(port)).directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LOCKKEEPER_FIRST_START_SECRETS", secrets.toString());
        // Not the default 9090: another program on the machine may hold it, and this test is about the secrets.
        builder.environment().put("MANAGEMENT_SERVER_PORT", "0");
        Process server = builder.start();
        try {
            PackagedServer.awaitHealthy(server, port, log);

            assertThat(Files.getPosixFilePermissions(secrets)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String written = Files.readString(secrets);
            String token = lineAfter(written, "created device enrollment token").strip();
            String oneTimePassword = lineAfter(written, "created user 'admin' with the one-time password").strip();
            assertThat(token).matches(TOKEN.pattern());
            assertThat(oneTimePassword).matches("[A-Za-z2-9]{20}");

            String output = Files.readString(log);
            assertThat(output).doesNotContain(token).doesNotContain(oneTimePassword).doesNotContain("lke_")
                    .contains("created user 'admin'; its one-time password (to be changed at first sign-in) was written to "
                            + secrets)
                    .contains("the token was written to " + secrets);
            Map<String, Object> escrow = Escrows.body("DESKTOP-IT3.corp.example.com", Escrows.newPassword());
            assertThat(new ApiClient(port).post("/api/v1/escrow", token, Escrows.json(escrow)).status()).isEqualTo(201);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    @Test
    void firstStartPrintsItsSecretsOnceAndARestartKeepsTheData() throws Exception {
        Path dataDir = work.resolve("data");
        try (PackagedServer server = PackagedServer.serve(work, "packaged", PackagedServer.dataArguments(dataDir, "it-node"))) {
            ApiClient api = server.api();

            // First start: bootstrap.
            String firstOut = server.outputOfThisStart();
            assertThat(firstOut).contains("first start: created the database master key");
            Path passwordFile = dataDir.resolve("dmk-password.txt");
            assertThat(firstOut).contains("the DMK password was written to " + passwordFile);
            assertThat(passwordFile).exists();
            assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            String dmkPassword = Files.readAllLines(passwordFile).get(0).strip();
            assertThat(dmkPassword).hasSizeGreaterThanOrEqualTo(20);
            assertThat(firstOut).doesNotContain(dmkPassword);

            List<String> tokenLines = firstOut.lines().filter(line -> line.contains("lke_")).toList();
            assertThat(tokenLines).hasSize(1);
            String token = tokenLines.get(0).strip();
            assertThat(token).matches(TOKEN.pattern());

            String oneTimePassword = lineAfter(firstOut, "created user 'admin' with the one-time password").strip();
            assertThat(oneTimePassword).matches("[A-Za-z2-9]{20}");

            Map<String, Object> escrow = Escrows.body("DESKTOP-IT1.corp.example.com", Escrows.newPassword());
            assertThat(api.post("/api/v1/escrow", token, Escrows.json(escrow)).status()).isEqualTo(201);

            server.stop();

            // Restart on the same data directory: nothing secret is printed again, the data is there.
            server.start();
            String secondOut = server.outputOfThisStart();
            assertThat(secondOut).contains("this node is open");
            assertThat(secondOut).doesNotContain("lke_").doesNotContain(token.substring(4))
                    .doesNotContain(oneTimePassword).doesNotContain("one-time password")
                    .doesNotContain(dmkPassword).doesNotContain("first start");
            assertThat(api.post("/api/v1/escrow", token, Escrows.json(escrow)).status()).as("the earlier escrow is stored")
                    .isEqualTo(200);

            // An admin command next to the running server (H2 mixed mode).
            PackagedServer.CommandOutput create = server.adminWithErrors("token", "create", "--name", "x");
            List<String> createLines = create.out().strip().lines().toList();
            String newToken = createLines.get(createLines.size() - 1);
            assertThat(newToken).matches(TOKEN.pattern());
            assertThat(create.out().split(Pattern.quote(newToken), -1)).as("printed once").hasSize(2);
            assertThat(create.err()).doesNotContain(newToken);

            Map<String, Object> another = Escrows.body("DESKTOP-IT2.corp.example.com", Escrows.newPassword());
            assertThat(api.post("/api/v1/escrow", newToken, Escrows.json(another)).status()).isEqualTo(201);

            server.stop();
            String all = server.output();
            assertThat(all.substring(all.indexOf(secondOut))).doesNotContain(newToken)
                    .doesNotContain((String) another.get("recoveryPassword"))
                    .doesNotContain((String) escrow.get("recoveryPassword"));
            assertThat(firstOut).doesNotContain((String) escrow.get("recoveryPassword"));
        }
    }

    static String lineAfter(String text, String marker) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).contains(marker)) {
                return lines.get(i + 1);
            }
        }
        throw new AssertionError("no line with '" + marker + "' in:\n" + text);
    }
}
