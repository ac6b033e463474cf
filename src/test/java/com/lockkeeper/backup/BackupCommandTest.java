package com.lockkeeper.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.Installations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `lockkeeper backup` and `lockkeeper restore`, in-process on a real embedded database. */
class BackupCommandTest {

    @TempDir
    Path work;

    @Test
    void aBackupSaysWhatItsRestoreNeedsAndRestoresOntoANewNodeThatTheDmkPasswordOpens() throws Exception {
        Path data = work.resolve("data");
        Installations.bootstrap(data, "node-a");
        CliRunner nodeA = new CliRunner(data, "node-a");
        Path dmkPassword = data.resolve("dmk-password.txt");

        Path first = work.resolve("first.zip");
        Result backup = nodeA.run("backup", "--out", first.toString());
        assertThat(backup.exitCode()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("the password of DMK version 1").contains("There is no datakey export")
                .contains("This node's key and audit key are not in it");
        assertThat(Files.getPosixFilePermissions(first)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(data).isDirectoryNotContaining("glob:**backup-*.zip");

        Result again = nodeA.run("backup", "--out", first.toString());
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("exists already");

        Path exportPassword = work.resolve("export-password");
        Files.writeString(exportPassword, "an export password of some length\n");
        assertThat(nodeA.run("datakey", "export", "--out", work.resolve("datakey.json").toString(), "--password-file",
                exportPassword.toString()).exitCode()).isZero();
        Result withExport = nodeA.run("backup", "--out", work.resolve("second.zip").toString());
        assertThat(withExport.out()).contains("If that password is lost: the datakey export of");

        Path occupied = work.resolve("occupied");
        Files.createDirectories(occupied);
        Files.writeString(occupied.resolve("something"), "x");
        Result refused = nodeA.runExactly("restore", first.toString(), "--data-dir", occupied.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("is not empty");
        Result notABackup = nodeA.runExactly("restore", exportPassword.toString(), "--data-dir", work.resolve("x").toString());
        assertThat(notABackup.err()).contains("is not a backup made by `lockkeeper backup`");

        Path restored = work.resolve("restored");
        Result restore = nodeA.runExactly("restore", first.toString(), "--data-dir", restored.toString());
        assertThat(restore.exitCode()).as(restore.err()).isZero();
        assertThat(Files.getPosixFilePermissions(restored)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(restored)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("lockkeeper.mv.db", "db-password");
        }
        assertThat(Files.getPosixFilePermissions(restored.resolve("lockkeeper.mv.db")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        CliRunner nodeB = new CliRunner(restored, "node-b");
        Result register = nodeB.run("dmk", "register", "--password-file", dmkPassword.toString());
        assertThat(register.exitCode()).as(register.err()).isZero();
        assertThat(restored.resolve("node.key")).exists();
        Result verify = nodeB.run("verify");
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(nodeB.run("audit", "verify").out()).contains("intact");
    }

    @Test
    void withPostgresqlTheBackupPointsAtTheDatabasesOwnTools() {
        Result refused = new CliRunner(work.resolve("data"), "node-a")
                .run("backup", "--out", work.resolve("b.zip").toString(), "--db-url", "jdbc:postgresql://db1:5432/lockkeeper");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("pg_dump").contains("pg_basebackup").contains("pgBackRest")
                .contains("docs/operations.md");
        assertThat(work.resolve("b.zip")).doesNotExist();
    }
}
