package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `lockkeeper import` names its sources as subcommands, and `import FILE` is still the JSON Lines import. */
class ImportSubcommandsTest {

    static final String NODE = "import-node";

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    @Test
    void importJsonlIsTheSameAsImportFile() throws IOException {
        Installations.bootstrap(dataDir, NODE);
        Path file = work.resolve("keys.jsonl");
        Files.write(file, List.of(Escrows.json(Escrows.body("PC-A", Escrows.newPassword())),
                Escrows.json(Escrows.body("PC-B", Escrows.newPassword()))));

        Result jsonl = new CliRunner(dataDir, NODE).run("import", "jsonl", file.toString());
        Result plain = new CliRunner(dataDir, NODE).run("import", file.toString());

        assertThat(jsonl.exitCode()).as(jsonl.err()).isZero();
        assertThat(jsonl.out()).contains("imported 2 key(s) from keys.jsonl: 2 stored");
        assertThat(plain.out()).contains("imported 2 key(s) from keys.jsonl: 0 stored, 2 already stored");
    }

    @Test
    void importAloneSaysWhatItCanImport() {
        Result alone = new CliRunner(dataDir, NODE).run("import");
        Result help = new CliRunner(dataDir, NODE).runExactly("import", "--help");

        assertThat(alone.exitCode()).isEqualTo(2);
        assertThat(alone.err()).contains("`lockkeeper import FILE`", "`lockkeeper import ad", "`lockkeeper import ldif FILE`");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("jsonl", "ad", "ldif", "msFVE-RecoveryInformation");
    }

    @Test
    void importAdNeedsItsConnectionAndAPasswordFile() {
        Result missing = new CliRunner(dataDir, NODE).run("import", "ad", "--url", "ldaps://dc1.corp.example.com");
        Result unreadable = new CliRunner(dataDir, NODE).run("import", "ad", "--url", "ldaps://dc1.corp.example.com",
                "--base-dn", "DC=corp,DC=example,DC=com", "--bind-dn", "CN=svc", "--bind-password-file",
                work.resolve("no-such-file").toString());

        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--base-dn", "--bind-dn", "--bind-password-file");
        assertThat(unreadable.exitCode()).isNotZero();
        assertThat(unreadable.err()).contains("cannot read the bind password file");
    }
}
