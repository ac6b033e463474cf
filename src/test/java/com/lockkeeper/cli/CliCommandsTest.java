package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.EmbeddedDatabase;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowOutcome;
import com.lockkeeper.escrow.EscrowService;
import com.lockkeeper.support.Password;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.TokenHolder;
import com.lockkeeper.users.UserAccounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The admin command line, run in-process as an admin would run it: real Spring contexts on a
 * real H2 database in a data directory, passwords from files and a fake environment.
 *
 * <p>One installation is bootstrapped (first start, then six escrowed keys) for the class; each
 * test works on its own copy of it, so tests that rotate, wipe or tamper do not interfere.
 */
@ExtendWith(OutputCaptureExtension.class)
class CliCommandsTest {

    static final String NODE = "node-a";
    static final String OTHER_NODE = "node-b";
    static final int ESCROWED = 6;
    static final Pattern TOKEN = Pattern.compile("lke_[A-Za-z0-9_-]{43}");

    @TempDir
    static Path template;

    /** The recovery passwords escrowed in the template, as a helpdesk would read them out. */
    static final List<String> escrowedPasswords = new ArrayList<>();

    static String dmkPassword;

    @TempDir
    Path dataDir;

    CliRunner cli;

    @BeforeAll
    static void bootstrapTemplate() throws IOException {
        try (ConfigurableApplicationContext server = Installations.server(template, NODE)) {
            escrowedPasswords.addAll(escrow(server, ESCROWED));
        }
        dmkPassword = firstLine(template.resolve("dmk-password.txt"));
        assertThat(dmkPassword).hasSizeGreaterThanOrEqualTo(12);
    }

    @BeforeEach
    void copyTemplate() throws IOException {
        try (Stream<Path> files = Files.list(template)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".mv.db") || name.equals("node.key") || name.equals("dmk-password.txt") || name.equals("db-password")
                        || name.equals("audit.key")) {
                    Files.copy(file, dataDir.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        cli = new CliRunner(dataDir, NODE);
    }

    // --- no database ---------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"status", "verify", "token list", "token create --name x", "user list", "node init",
            "dmk unregister", "datakey rotate", "audit verify"})
    void anAdminCommandWithoutADatabaseTellsToRunServeOnce(String command, @TempDir Path empty) {
        Path missing = empty.resolve("no-such-dir");
        for (Path dir : List.of(empty, missing)) {
            Result result = new CliRunner(dir, NODE).run(command.split(" "));

            assertThat(result.exitCode()).as(command + " in " + dir).isNotZero();
            assertThat(result.err().strip()).doesNotContain("\n").startsWith("lockkeeper: ").contains("lockkeeper serve");
            assertThat(result.out()).isEmpty();
        }
        assertThat(empty.resolve("lockkeeper.mv.db")).as("an admin command must not create an empty database").doesNotExist();
        assertThat(missing).doesNotExist();
    }

    // --- tokens --------------------------------------------------------------------------------

    @Test
    void tokenCreatePrintsTheTokenOnceOnItsLastLineAndRevokeEndsIt(CapturedOutput output) {
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            ApiTokens tokens = server.getBean(ApiTokens.class);

            Result created = cli.run("token", "create", "--name", "site-lyon");

            assertThat(created.exitCode()).isZero();
            String token = created.lastLine();
            assertThat(token).matches(TOKEN.pattern());
            assertThat(created.out().split(Pattern.quote(token), -1)).as("the token is printed exactly once").hasSize(2);
            assertThat(created.err()).doesNotContain(token);
            assertThat(tokens.authenticate(token)).map(TokenHolder::tokenName).contains("site-lyon");

            Result list = cli.run("token", "list");
            assertThat(list.exitCode()).isZero();
            assertThat(lineWith(list.out(), "site-lyon")).contains("enrollment").contains("active");
            assertThat(list.out()).doesNotContain(token).doesNotContain(token.substring(4, 16));

            Result duplicate = cli.run("token", "create", "--name", "site-lyon");
            assertThat(duplicate.exitCode()).isNotZero();
            assertThat(duplicate.out()).doesNotContain("lke_");
            assertThat(duplicate.err()).contains("site-lyon").contains("exists already");
            assertThat(cli.run("token", "list").out().lines().filter(l -> l.contains("site-lyon"))).hasSize(1);

            Result revoked = cli.run("token", "revoke", "site-lyon");
            assertThat(revoked.exitCode()).isZero();
            assertThat(revoked.out()).contains("site-lyon");
            assertThat(tokens.authenticate(token)).isEmpty();
            assertThat(lineWith(cli.run("token", "list").out(), "site-lyon")).contains("revoked");

            Result again = cli.run("token", "revoke", "site-lyon");
            assertThat(again.exitCode()).isNotZero();
            assertThat(again.err()).contains("no active token");

            assertThat(auditText()).doesNotContain(token);
            assertThat(output.getAll()).doesNotContain(token);
        }
    }

    // --- users ---------------------------------------------------------------------------------

    @Test
    void userAddListAndPasswdTakePasswordsFromTheEnvironmentOrAFile(CapturedOutput output) throws IOException {
        String bobPassword = "bob-" + UUID.randomUUID();
        String newPassword = "new-" + UUID.randomUUID();
        cli.env("BOB_PW", bobPassword).env("SHORT_PW", "short-pw").env("OTHER_PW", "other-" + UUID.randomUUID());

        Result added = cli.run("user", "add", "bob", "--role", "HELPDESK", "--password-env", "BOB_PW");
        assertThat(added.exitCode()).as(added.err()).isZero();
        assertThat(lineWith(cli.run("user", "list").out(), "bob")).contains("HELPDESK").contains("active");

        Result tooShort = cli.run("user", "add", "carol", "--role", "HELPDESK", "--password-env", "SHORT_PW");
        assertThat(tooShort.exitCode()).isNotZero();
        assertThat(tooShort.err()).contains("too short").contains("12");

        Result badRole = cli.run("user", "add", "dave", "--role", "JANITOR", "--password-env", "OTHER_PW");
        assertThat(badRole.exitCode()).isNotZero();
        assertThat(badRole.err()).contains("JANITOR").contains("HELPDESK, ADVANCED_HELPDESK, AUDITOR, ADMIN");

        Result badName = cli.run("user", "add", "../etc", "--role", "HELPDESK");
        assertThat(badName.exitCode()).isNotZero();
        assertThat(badName.err()).as("the name is refused before a password is asked for").contains("a user name has 1 to 100")
                .doesNotContain("password");

        Result unsetVariable = cli.run("user", "add", "erin", "--role", "AUDITOR", "--password-env", "NOT_SET");
        assertThat(unsetVariable.exitCode()).isNotZero();
        assertThat(unsetVariable.err()).contains("NOT_SET");

        String users = cli.run("user", "list").out();
        assertThat(users).doesNotContain("carol").doesNotContain("dave").doesNotContain("erin");

        Path file = dataDir.resolve("bob-new-password.txt");
        Files.writeString(file, newPassword + "\n");
        Result changed = cli.run("user", "passwd", "bob", "--password-file", file.toString());
        assertThat(changed.exitCode()).as(changed.err()).isZero();
        assertThat(checkPassword("bob", newPassword)).isTrue();
        assertThat(checkPassword("bob", bobPassword)).isFalse();

        Result noSource = cli.run("user", "passwd", "bob");
        assertThat(noSource.exitCode()).isNotZero();
        assertThat(noSource.err()).contains("--password-file").contains("--password-env");
        assertThat(checkPassword("bob", newPassword)).as("a refused passwd changes nothing").isTrue();

        Result unknownUser = cli.run("user", "passwd", "zoe", "--password-file", file.toString());
        assertThat(unknownUser.exitCode()).isNotZero();
        assertThat(unknownUser.err()).contains("zoe");

        for (String secret : List.of(bobPassword, newPassword, "short-pw")) {
            assertThat(output.getAll()).doesNotContain(secret);
            assertThat(auditText()).doesNotContain(secret);
        }
    }

    // --- verify, register ----------------------------------------------------------------------

    @Test
    void verifyDecryptsTheNewestKeysWithoutPrintingThem(CapturedOutput output) {
        Result result = cli.run("verify");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("5 of 5 recovery passwords decrypted");

        Result all = cli.run("verify", "--sample", "1000");
        assertThat(all.exitCode()).isZero();
        assertThat(all.out()).contains(ESCROWED + " of " + ESCROWED + " recovery passwords decrypted");
        assertNoRecoveryPasswordIn(output.getAll());
    }

    @Test
    void verifyOnANodeWithoutRegistrationSaysItIsSealedAndWhatToRun() {
        Result neverRegistered = new CliRunner(dataDir, OTHER_NODE).run("verify");
        assertSealed(neverRegistered, OTHER_NODE);

        Result unregister = cli.run("dmk", "unregister");
        assertThat(unregister.exitCode()).isZero();
        assertThat(unregister.out()).contains("unregistered");
        assertSealed(cli.run("verify"), NODE);
        assertThat(cli.run("status").out()).contains("none: every node is sealed");
    }

    @Test
    void dmkRegisterWithTheDmkPasswordOpensAnotherNodeAndAWrongPasswordChangesNothing(CapturedOutput output)
            throws IOException {
        CliRunner other = new CliRunner(dataDir, OTHER_NODE);
        Path wrong = dataDir.resolve("wrong.txt");
        Files.writeString(wrong, "not-the-dmk-password-at-all\n");
        List<Map<String, Object>> before = registrations();

        Result refused = other.run("dmk", "register", "--password-file", wrong.toString());

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("DMK password is wrong");
        assertThat(registrations()).isEqualTo(before);
        assertSealed(other.run("verify"), OTHER_NODE);

        Result registered = other.run("dmk", "register", "--password-file", dataDir.resolve("dmk-password.txt").toString());

        assertThat(registered.exitCode()).as(registered.err()).isZero();
        assertThat(registered.out()).contains(OTHER_NODE);
        assertThat(registrations()).extracting(r -> r.get("node_name")).containsExactly(NODE, OTHER_NODE);
        Result verified = other.run("verify", "--sample", "100");
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains(ESCROWED + " of " + ESCROWED + " recovery passwords decrypted");
        assertThat(output.getAll()).doesNotContain(dmkPassword);
    }

    // --- dmk rotate ----------------------------------------------------------------------------

    @Test
    void dmkRotateSealsTheOtherNodesUntilTheyRegisterWithTheNewPassword(CapturedOutput output) {
        String newPassword = "new-dmk-" + UUID.randomUUID();
        CliRunner other = new CliRunner(dataDir, OTHER_NODE).env("NEW", newPassword);
        assertThat(other.run("dmk", "register", "--password-file", dataDir.resolve("dmk-password.txt").toString()).exitCode())
                .isZero();
        Installations.server(dataDir, OTHER_NODE).close(); // node-b serves once: it is a known node now
        assertThat(lineWith(cli.run("status").out(), "  " + OTHER_NODE + "  version")).doesNotContain("dmk register");

        Result rotated = cli.env("NEW", newPassword).run("dmk", "rotate", "--password-env", "NEW");

        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("rotated").contains(OTHER_NODE);
        String status = cli.run("status").out();
        assertThat(status).contains("DMK:            version 2");
        assertThat(lineWith(status, "  " + OTHER_NODE + "  version")).contains("run `lockkeeper dmk register` on " + OTHER_NODE);
        assertThat(lineWith(status, "  " + NODE + "  version")).doesNotContain("dmk register");
        assertSealed(other.run("verify"), OTHER_NODE);
        assertThat(cli.run("verify").exitCode()).isZero();

        Result oldPassword = other.run("dmk", "register", "--password-file", dataDir.resolve("dmk-password.txt").toString());
        assertThat(oldPassword.exitCode()).isNotZero();
        assertThat(oldPassword.err()).contains("DMK password is wrong");
        assertSealed(other.run("verify"), OTHER_NODE);

        Result newRegistration = other.run("dmk", "register", "--password-env", "NEW");
        assertThat(newRegistration.exitCode()).as(newRegistration.err()).isZero();
        Result verified = other.run("verify", "--sample", "100");
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains(ESCROWED + " of " + ESCROWED + " recovery passwords decrypted");
        assertThat(lineWith(cli.run("status").out(), "  " + OTHER_NODE + "  version")).doesNotContain("dmk register");
        assertThat(output.getAll()).doesNotContain(newPassword).doesNotContain(dmkPassword);
    }

    @Test
    void dmkRotateRefusesATooShortNewPassword() {
        Result result = cli.env("NEW", "short-one").run("dmk", "rotate", "--password-env", "NEW");

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("too short");
        assertThat(cli.run("status").out()).contains("DMK:            version 1");
    }

    // --- exports -------------------------------------------------------------------------------

    @Test
    void dmkExportWritesAnOwnerOnlyFileAndNeverOverwritesOne(CapturedOutput output) throws IOException {
        String exportPassword = "export-" + UUID.randomUUID();
        cli.env("X", exportPassword);
        Path file = dataDir.resolve("dmk-backup.json");

        Result exported = cli.run("dmk", "export", "--out", file.toString(), "--password-env", "X");

        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(exported.out()).contains(file.toString());
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        byte[] content = Files.readAllBytes(file);
        assertThat(new String(content, StandardCharsets.UTF_8)).doesNotContain(exportPassword).doesNotContain(dmkPassword);
        long exportsAudited = auditCount("dmk.export");

        Result again = cli.run("dmk", "export", "--out", file.toString(), "--password-env", "X");

        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("exists already");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(auditCount("dmk.export")).as("a refused export is not audited as an export").isEqualTo(exportsAudited);
        assertThat(output.getAll()).doesNotContain(exportPassword);
    }

    @Test
    void datakeyExportAndImportRestoreALostPrivateHalf(CapturedOutput output) throws IOException {
        String exportPassword = "export-" + UUID.randomUUID();
        cli.env("X", exportPassword).env("WRONG", "wrong-" + UUID.randomUUID());
        Path file = dataDir.resolve("datakey-backup.json");
        Result exported = cli.run("datakey", "export", "--out", file.toString(), "--password-env", "X");
        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        long exportsAudited = auditCount("datakey.export");
        assertThat(cli.run("datakey", "export", "--out", file.toString(), "--password-env", "X").err()).contains("exists already");
        assertThat(auditCount("datakey.export")).isEqualTo(exportsAudited);

        assertThat(db().sql("UPDATE datakey SET private_keyset = NULL").update()).isEqualTo(1);

        Result lost = cli.run("verify");
        assertThat(lost.exitCode()).isNotZero();
        assertThat(lost.err()).contains("datakey import");
        assertThat(cli.run("status").out()).contains("private half MISSING");

        Result wrongPassword = cli.run("datakey", "import", file.toString(), "--password-env", "WRONG");
        assertThat(wrongPassword.exitCode()).isNotZero();
        assertThat(wrongPassword.err()).contains("export password is wrong");
        assertThat(cli.run("verify").exitCode()).isNotZero();

        Result imported = cli.run("datakey", "import", file.toString(), "--password-env", "X");
        assertThat(imported.exitCode()).as(imported.err()).isZero();
        Result verified = cli.run("verify", "--sample", "100");
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains(ESCROWED + " of " + ESCROWED + " recovery passwords decrypted");
        assertThat(output.getAll()).doesNotContain(exportPassword);
        assertNoRecoveryPasswordIn(output.getAll());
    }

    @Test
    void dmkRotateRecreateRestoresDecryptionWhenNoNodeCanOpenTheDmk(CapturedOutput output) {
        String exportPassword = "export-" + UUID.randomUUID();
        String newPassword = "new-dmk-" + UUID.randomUUID();
        cli.env("X", exportPassword).env("NEW", newPassword);
        Path file = dataDir.resolve("datakey-backup.json");
        assertThat(cli.run("datakey", "export", "--out", file.toString(), "--password-env", "X").exitCode()).isZero();
        db().sql("DELETE FROM dmk_registration").update();
        db().sql("UPDATE datakey SET private_keyset = NULL").update();
        assertSealed(cli.run("verify"), NODE);

        Result withoutFile = cli.run("dmk", "rotate", "--recreate", "--password-env", "NEW");
        assertThat(withoutFile.exitCode()).isNotZero();
        assertThat(withoutFile.err()).contains("--datakey-file");

        Result recreated = cli.run("dmk", "rotate", "--recreate", "--datakey-file", file.toString(),
                "--export-password-env", "X", "--password-env", "NEW");

        assertThat(recreated.exitCode()).as(recreated.err()).isZero();
        assertThat(recreated.out()).contains("recreated");
        Result verified = cli.run("verify", "--sample", "100");
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains(ESCROWED + " of " + ESCROWED + " recovery passwords decrypted");
        assertThat(cli.run("status").out()).contains("DMK:            version 2").contains("private half present");
        Result other = new CliRunner(dataDir, OTHER_NODE).env("NEW", newPassword).run("dmk", "register", "--password-env", "NEW");
        assertThat(other.exitCode()).as("the new DMK password registers other nodes").isZero();
        assertThat(output.getAll()).doesNotContain(exportPassword).doesNotContain(newPassword);
    }

    // --- datakey rotate ------------------------------------------------------------------------

    @Test
    void datakeyRotateAddsAPrimaryVersionAndKeepsEveryKeyReadable() {
        long before = primaryKeyVersion(cli.run("status").out());

        Result rotated = cli.run("datakey", "rotate");

        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        assertThat(rotated.out()).contains("new primary key version");
        long after = primaryKeyVersion(cli.run("status").out());
        assertThat(after).isNotEqualTo(before);
        assertThat(db().sql("SELECT DISTINCT datakey_key_id FROM seal_epoch").query(Long.class).list()).containsExactly(after);
        Result verified = cli.run("verify", "--sample", "1000");
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains(ESCROWED + " of " + ESCROWED + " recovery passwords decrypted");

        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            escrow(server, 1);
        }
        Result withNewKey = cli.run("verify", "--sample", "1000");
        assertThat(withNewKey.out()).contains((ESCROWED + 1) + " of " + (ESCROWED + 1) + " recovery passwords decrypted");
        assertThat(db().sql("SELECT DISTINCT datakey_key_id FROM seal_epoch").query(Long.class).list()).containsExactly(after);
    }

    @Test
    void datakeyRotateReencryptReencryptsEveryRowWithProgressOnStderr() {
        Map<Long, UUID> before = epochsByRow();

        Result result = cli.run("datakey", "rotate", "--reencrypt");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("re-encrypting").contains("100%").contains(ESCROWED + "/" + ESCROWED);
        assertThat(result.out()).contains(ESCROWED + " row(s) re-encrypted");
        Map<Long, UUID> after = epochsByRow();
        assertThat(after.keySet()).isEqualTo(before.keySet());
        before.forEach((row, epoch) -> assertThat(after.get(row)).as("epoch of row " + row).isNotEqualTo(epoch));
        assertThat(db().sql("SELECT finished_at FROM reencrypt_job WHERE id = 1").query(Object.class).single()).isNotNull();
        Result verified = cli.run("verify", "--sample", "1000");
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains(ESCROWED + " of " + ESCROWED + " recovery passwords decrypted");
    }

    @Test
    void anInterruptedReencryptionResumesWhereItStopped() {
        Map<Long, UUID> before = epochsByRow();
        List<Long> rows = new ArrayList<>(before.keySet());
        long stoppedAt = rows.get(rows.size() / 2 - 1);
        db().sql("INSERT INTO reencrypt_job (id, started_at, last_key_row, rows_done) VALUES (1, :at, :last, :done)")
                .param("at", java.time.OffsetDateTime.now()).param("last", stoppedAt).param("done", rows.size() / 2).update();
        long primary = primaryKeyVersion(cli.run("status").out());
        assertThat(cli.run("status").out()).contains("Re-encryption: interrupted");

        Result result = cli.run("datakey", "rotate", "--reencrypt");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("resuming");
        Map<Long, UUID> after = epochsByRow();
        before.forEach((row, epoch) -> {
            if (row <= stoppedAt) {
                assertThat(after.get(row)).as("row " + row + " was done before the interruption").isEqualTo(epoch);
            } else {
                assertThat(after.get(row)).as("row " + row + " remained").isNotEqualTo(epoch);
            }
        });
        assertThat(primaryKeyVersion(cli.run("status").out())).as("a resumed run does not rotate again").isEqualTo(primary);
        assertThat(cli.run("status").out()).doesNotContain("Re-encryption: interrupted");
        Result verified = cli.run("verify", "--sample", "1000");
        assertThat(verified.exitCode()).as(verified.err()).isZero();
        assertThat(verified.out()).contains(ESCROWED + " of " + ESCROWED + " recovery passwords decrypted");
    }

    // --- audit ---------------------------------------------------------------------------------

    @Test
    void auditVerifyPrintsLaneHeadsAndNamesATamperedRecord() {
        Result intact = cli.run("audit", "verify");

        assertThat(intact.exitCode()).as(intact.err()).isZero();
        assertThat(intact.out()).contains("every chain is intact");
        Map<String, Object> last = db().sql("SELECT lane, seq FROM audit_log ORDER BY at DESC, seq DESC LIMIT 1").query().singleRow();
        String lane = (String) last.get("lane");
        assertThat(intact.out()).containsPattern("(?m)^  " + Pattern.quote(lane) + "  head \\d+  [0-9a-f]{64}$");

        Map<String, Object> victim = db().sql("SELECT lane, seq FROM audit_log WHERE seq = 2 ORDER BY lane LIMIT 1").query().singleRow();
        db().sql("DROP TRIGGER audit_log_append_only").update(); // as a DBA covering their tracks would
        assertThat(db().sql("UPDATE audit_log SET detail = 'x' WHERE lane = :lane AND seq = :seq")
                .param("lane", victim.get("lane")).param("seq", victim.get("seq")).update()).isEqualTo(1);

        Result broken = cli.run("audit", "verify");

        assertThat(broken.exitCode()).isNotZero();
        assertThat(broken.err()).contains("lane " + victim.get("lane") + ", record 2").contains("altered");
    }

    // --- node ----------------------------------------------------------------------------------

    @Test
    void nodeInitKeepsAnExistingKeyAndForceReplacesItSealingTheNode() throws IOException {
        Path nodeKey = dataDir.resolve("node.key");
        byte[] original = Files.readAllBytes(nodeKey);

        Result unchanged = cli.run("node", "init");
        assertThat(unchanged.exitCode()).isZero();
        assertThat(unchanged.out()).contains("nothing changed");
        assertThat(Files.readAllBytes(nodeKey)).isEqualTo(original);

        Result replaced = cli.run("node", "init", "--force");
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(replaced.out()).contains("dmk register");
        assertThat(Files.readAllBytes(nodeKey)).isNotEqualTo(original);
        assertThat(Files.getPosixFilePermissions(nodeKey)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertSealed(cli.run("verify"), NODE);
        assertThat(lineWith(cli.run("status").out(), "This node:")).contains("sealed");

        Result registered = cli.run("dmk", "register", "--password-file", dataDir.resolve("dmk-password.txt").toString());
        assertThat(registered.exitCode()).as(registered.err()).isZero();
        assertThat(cli.run("verify").exitCode()).isZero();
    }

    // --- no secret on argv ---------------------------------------------------------------------

    @Test
    void noOptionTakesASecretItself() {
        List<String> secretOptions = new ArrayList<>();
        for (CommandSpec command : allCommands(new CommandLine(new Cli(null), new TerminalFactory()).getCommandSpec())) {
            for (OptionSpec option : command.options()) {
                for (String name : option.names()) {
                    // `rotate --key` takes a recovery password ID, which the recovery screen shows, and
                    // `export --to-public-key` a public key's file: neither is a secret.
                    boolean namesAKey = List.of("lockkeeper rotate --key", "lockkeeper export --to-public-key")
                            .contains(command.qualifiedName() + " " + name);
                    if (name.matches("(?i).*(password|token|secret|passphrase|key).*") && !namesAKey) {
                        secretOptions.add(command.qualifiedName() + " " + name);
                        assertThat(name).as(command.qualifiedName() + " " + name).matches(".*-(file|env)");
                    }
                }
            }
            for (PositionalParamSpec parameter : command.positionalParameters()) {
                assertThat(parameter.paramLabel()).as(command.qualifiedName()).doesNotContainIgnoringCase("password")
                        .doesNotContainIgnoringCase("secret").doesNotContainIgnoringCase("token");
            }
        }
        assertThat(secretOptions).contains("lockkeeper dmk register --password-file", "lockkeeper dmk register --password-env",
                "lockkeeper user add --password-env", "lockkeeper dmk rotate --export-password-file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dmk register", "dmk rotate", "dmk export --out backup.json", "datakey export --out backup.json",
            "user add frank --role HELPDESK", "user passwd admin"})
    void aPasswordOnTheCommandLineIsRefusedAndNotEchoed(String command) {
        String secret = "Secret-" + UUID.randomUUID();
        for (List<String> password : List.of(List.of("--password=" + secret), List.of("--password", secret))) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(password);

            Result result = cli.run(args.toArray(String[]::new));

            assertThat(result.exitCode()).as(String.join(" ", args)).isEqualTo(CommandLine.ExitCode.USAGE);
            assertThat(result.err()).contains("--password").contains("--password-file").contains("--password-env");
            assertThat(result.out() + result.err()).doesNotContain(secret).doesNotContain(secret.substring(7));
            assertThat(dataDir.resolve("backup.json")).doesNotExist();
        }
        assertThat(auditText()).doesNotContain(secret);
    }

    @Test
    void aMistypedCommandIsStillNamedInTheError() {
        Result result = cli.runExactly("tokn", "list");

        assertThat(result.exitCode()).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(result.err()).contains("'tokn'").contains("token");
    }

    // --- helpers -------------------------------------------------------------------------------

    static List<String> escrow(ConfigurableApplicationContext server, int count) {
        EscrowService service = server.getBean(EscrowService.class);
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecoveryPassword password = Escrows.newPassword();
            EscrowCommand command = new EscrowCommand(ComputerName.parse("PC-" + i + ".corp.example.com"),
                    VolumeId.of(UUID.randomUUID()), VolumeType.OPERATING_SYSTEM, DriveLabel.of("PC-" + i + " C: 11/23/2026"),
                    ProtectorId.parse(Escrows.newGuid()), password, null, List.of("CORP\\alice"), Instant.now());
            assertThat(service.escrow(command, Actor.system("cli-test"))).isEqualTo(EscrowOutcome.CREATED);
            passwords.add(password.reveal());
        }
        return passwords;
    }

    static void assertNoRecoveryPasswordIn(String text) {
        for (String password : escrowedPasswords) {
            assertThat(text).doesNotContain(password).doesNotContain(password.replace("-", ""))
                    .doesNotContain(password.substring(0, 20));
        }
    }

    static void assertSealed(Result result, String node) {
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.out()).doesNotContain("decrypted");
        assertThat(result.err()).contains("node " + node + " is sealed").contains("lockkeeper dmk register");
    }

    static String lineWith(String text, String part) {
        return text.lines().filter(line -> line.contains(part)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with '" + part + "' in:\n" + text));
    }

    static long primaryKeyVersion(String status) {
        Matcher m = Pattern.compile("primary key version (\\d+)").matcher(status);
        assertThat(m.find()).as(status).isTrue();
        return Long.parseLong(m.group(1));
    }

    static String firstLine(Path file) {
        try {
            return Files.readAllLines(file).get(0).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The database of this test's installation, as a DBA would see it. */
    JdbcClient db() {
        return JdbcClient.create(new DriverManagerDataSource(EmbeddedDatabase.jdbcUrl(dataDir), "",
                EmbeddedDatabase.readPassword(dataDir)));
    }

    List<Map<String, Object>> registrations() {
        return db().sql("SELECT node_name, dmk_version, node_key_id, wrapped_keyset FROM dmk_registration ORDER BY node_name")
                .query().listOfRows().stream().map(row -> {
                    Map<String, Object> copy = new LinkedHashMap<>(row);
                    copy.put("wrapped_keyset", java.util.HexFormat.of().formatHex((byte[]) row.get("wrapped_keyset")));
                    return copy;
                }).toList();
    }

    Map<Long, UUID> epochsByRow() {
        Map<Long, UUID> epochs = new LinkedHashMap<>();
        db().sql("SELECT key_id AS id, epoch_id FROM key_secret ORDER BY key_id")
                .query(rs -> {
                    epochs.put(rs.getLong("id"), rs.getObject("epoch_id", UUID.class));
                });
        assertThat(epochs).hasSize(ESCROWED);
        return epochs;
    }

    long auditCount(String action) {
        return db().sql("SELECT COUNT(*) FROM audit_log WHERE action = :action AND outcome = 'success'")
                .param("action", action).query(Long.class).single();
    }

    String auditText() {
        return String.join("\n", db().sql("SELECT CONCAT(actor, ' ', action, ' ', COALESCE(target, ''), ' ', COALESCE(detail, ''))"
                + " FROM audit_log").query(String.class).list());
    }

    boolean checkPassword(String username, String password) {
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE);
                Password typed = Password.copyOf(password)) {
            return server.getBean(UserAccounts.class).checkPassword(username, typed);
        }
    }

    static List<CommandSpec> allCommands(CommandSpec root) {
        List<CommandSpec> all = new ArrayList<>();
        all.add(root);
        for (CommandLine sub : root.subcommands().values()) {
            for (CommandSpec spec : allCommands(sub.getCommandSpec())) {
                if (all.stream().noneMatch(s -> s.qualifiedName().equals(spec.qualifiedName()))) {
                    all.add(spec);
                }
            }
        }
        return all;
    }

    /** Builds commands the way `Cli` does (each takes a Terminal), to inspect their options. */
    static final class TerminalFactory implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(Terminal.class);
                constructor.setAccessible(true);
                return constructor.newInstance((Terminal) null);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }
}
