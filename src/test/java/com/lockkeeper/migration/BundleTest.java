package com.lockkeeper.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.computers.KeyStatus;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.Installations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Moving keys to another installation: `keypair create`, `export --to-public-key`, `import bundle`. */
class BundleTest {

    static final String SOURCE = "source-node";
    static final String TARGET = "target-node";
    static final RevealRequest REQUEST = new RevealRequest("Lost or forgotten PIN", "Call back", "CORP\\alice", null);

    @TempDir
    static Path work;

    static Path source;
    static Path bundle;
    static Path privateKey;
    static List<String[]> passwords = new ArrayList<>();

    @BeforeAll
    static void aSourceInstallationExportsEveryKey() throws IOException {
        source = Files.createDirectory(work.resolve("source"));
        Installations.bootstrap(source, SOURCE);
        CliRunner cli = new CliRunner(source, SOURCE);
        assertThat(cli.run("import", "mbam", fixture("mbam-sqlcmd.csv").toString()).exitCode()).isZero();
        assertThat(cli.run("import", "entra", fixture("entra-keys.json").toString()).exitCode()).isZero();
        for (String line : Files.readAllLines(fixture("mbam-passwords.txt"))) {
            passwords.add(line.split(" "));
        }
        try (ConfigurableApplicationContext server = Installations.server(source, SOURCE)) {
            server.getBean(RevealService.class).reveal(ProtectorId.parse(passwords.get(0)[0]), REQUEST, Actor.user("tester"));
        }
        privateKey = work.resolve("recipient.key");
        Result keypair = new CliRunner(work.resolve("unused"), TARGET).run("keypair", "create", "--out", privateKey.toString());
        assertThat(keypair.exitCode()).as(keypair.err()).isZero();
        assertThat(Files.getPosixFilePermissions(privateKey)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        bundle = work.resolve("keys.bundle");

        Result exported = cli.env("DMK", Files.readAllLines(source.resolve("dmk-password.txt")).get(0))
                .run("export", "--to-public-key", privateKey + ".pub", "--out", bundle.toString(), "--password-env", "DMK");

        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("6 key(s) exported");
    }

    @Test
    void anotherInstallationImportsTheBundleAndRevealsTheSamePasswords() throws IOException {
        Path target = Files.createDirectory(work.resolve("target-roundtrip"));
        Installations.bootstrap(target, TARGET);

        Result imported = new CliRunner(target, TARGET).run("import", "bundle", bundle.toString(), "--private-key-file", privateKey.toString());

        assertThat(imported.exitCode()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported 6 key(s)", "6 stored", "1 key(s) marked disclosed");
        try (ConfigurableApplicationContext server = Installations.server(target, TARGET)) {
            RecoveryKeyRepository keys = server.getBean(RecoveryKeyRepository.class);
            assertThat(keys.count()).isEqualTo(6);
            assertThat(keys.byProtectorId(ProtectorId.parse(passwords.get(0)[0])).orElseThrow().status()).isEqualTo(KeyStatus.DISCLOSED);
            RevealService reveal = server.getBean(RevealService.class);
            for (String[] idAndPassword : passwords) {
                assertThat(reveal.reveal(ProtectorId.parse(idAndPassword[0]), REQUEST, Actor.user("tester")).reveal())
                        .isEqualTo(idAndPassword[1]);
            }
            assertThat(reveal.reveal(ProtectorId.parse("C3D4E5F6-A7B8-4C9D-8E0F-1A2B3C4D5E6F"), REQUEST, Actor.user("tester")))
                    .as("an Entra key that still waits for its volume").isNotNull();
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM volume WHERE placeholder = TRUE").query(Long.class).single()).isEqualTo(3);
            assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'bundle.import'").query(String.class).single())
                    .contains("6 key(s) from " + SOURCE, "6 stored");
        }
    }

    @Test
    void theExportIsAuditedWithItsCountAndRecipientAndTheFileHoldsNothingInClear() throws IOException {
        String fingerprint = new String(Files.readAllBytes(privateKey), StandardCharsets.UTF_8).replaceAll("(?s).*\"fingerprint\" : \"([^\"]+)\".*", "$1");
        assertThat(fingerprint).startsWith("SHA256:");
        try (ConfigurableApplicationContext server = Installations.server(source, SOURCE)) {
            String detail = server.getBean(JdbcClient.class).sql("SELECT detail FROM audit_log WHERE action = 'bundle.export'")
                    .query(String.class).single();
            assertThat(detail).contains("6 key(s) exported", fingerprint);
        }
        String content = Files.readString(bundle);
        assertThat(Files.getPosixFilePermissions(bundle)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        for (String[] idAndPassword : passwords) {
            String password = idAndPassword[1];
            assertThat(content).doesNotContain(password).doesNotContain(password.replace("-", ""))
                    .doesNotContain(password.substring(0, 13)).doesNotContain(idAndPassword[0]);
        }
        assertThat(content).doesNotContain("PC-MBAM").doesNotContain("LAPTOP-ENTRA1").contains(fingerprint);
    }

    @Test
    void aTamperedCutOrReorderedBundleOrTheWrongPrivateKeyIsRefusedAndNothingIsImported() throws IOException {
        Path target = Files.createDirectory(work.resolve("target-refusals"));
        Installations.bootstrap(target, TARGET);
        CliRunner cli = new CliRunner(target, TARGET);
        List<String> lines = Files.readAllLines(bundle);

        List<String> tampered = new ArrayList<>(lines);
        String record = tampered.get(3);
        int at = record.indexOf("\"sealed\":\"") + 20;
        tampered.set(3, record.substring(0, at) + (record.charAt(at) == 'A' ? 'B' : 'A') + record.substring(at + 1));
        assertRefused(cli, write("tampered.bundle", tampered), "record 3 of the bundle does not open");

        assertRefused(cli, write("cut.bundle", lines.subList(0, lines.size() - 1)), "its end record is missing");
        assertRefused(cli, write("short.bundle", lines.subList(0, 4)), "cut short: it ends after record 3 of 6");

        List<String> reordered = new ArrayList<>(lines);
        reordered.set(2, lines.get(3));
        reordered.set(3, lines.get(2));
        assertRefused(cli, write("reordered.bundle", reordered), "record 2 of the bundle is missing or out of place");

        List<String> recounted = new ArrayList<>(lines);
        recounted.set(0, lines.get(0).replace("\"count\":6", "\"count\":5"));
        recounted.remove(lines.size() - 2);
        assertRefused(cli, write("recounted.bundle", recounted), "header does not open");

        Path other = work.resolve("other.key");
        assertThat(cli.run("keypair", "create", "--out", other.toString()).exitCode()).isZero();
        Result wrongKey = cli.run("import", "bundle", bundle.toString(), "--private-key-file", other.toString());
        assertThat(wrongKey.exitCode()).isNotZero();
        assertThat(wrongKey.err()).contains("give the private key of the keypair whose public key the bundle was exported to");

        try (ConfigurableApplicationContext server = Installations.server(target, TARGET)) {
            assertThat(server.getBean(RecoveryKeyRepository.class).count()).isZero();
        }
    }

    @Test
    void anOpenNodeExportsWithoutTheDmkPasswordAndAWrongPasswordIsRefusedAndAudited() throws IOException {
        CliRunner cli = new CliRunner(source, SOURCE).env("WRONG", "not-the-dmk-password-at-all");
        Path filtered = work.resolve("one-computer.bundle");

        Result open = cli.run("export", "--to-public-key", privateKey + ".pub", "--out", filtered.toString(),
                "--computer", "pc-mbam-02.corp.example.com");
        Result wrong = cli.run("export", "--to-public-key", privateKey + ".pub", "--out", work.resolve("x.bundle").toString(),
                "--password-env", "WRONG");

        assertThat(open.exitCode()).as(open.err()).isZero();
        assertThat(open.out()).contains("1 key(s) exported");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.err()).contains("DMK password is wrong");
        assertThat(Files.exists(work.resolve("x.bundle"))).isFalse();
        try (ConfigurableApplicationContext server = Installations.server(source, SOURCE)) {
            assertThat(server.getBean(JdbcClient.class).sql(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'bundle.export' AND outcome = 'refused'").query(Long.class).single())
                    .isEqualTo(1);
        }
    }

    private static void assertRefused(CliRunner cli, Path file, String reason) {
        Result result = cli.run("import", "bundle", file.toString(), "--private-key-file", privateKey.toString());
        assertThat(result.exitCode()).as(file.getFileName().toString()).isNotZero();
        assertThat(result.err()).as(file.getFileName().toString()).contains(reason);
    }

    private static Path write(String name, List<String> lines) throws IOException {
        return Files.write(work.resolve(name), lines);
    }

    private static Path fixture(String name) throws IOException {
        Path file = work.resolve(name);
        if (!Files.exists(file)) {
            try (InputStream in = BundleTest.class.getResourceAsStream("/migration/" + name)) {
                Files.copy(in, file);
            }
        }
        return file;
    }
}
