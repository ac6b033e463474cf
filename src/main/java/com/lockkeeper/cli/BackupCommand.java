package com.lockkeeper.cli;

import com.lockkeeper.backup.BackupFacts;
import com.lockkeeper.backup.EmbeddedBackup;
import com.lockkeeper.backup.RestoreNeeds;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "backup", description = "Back up the embedded database while the server runs (a consistent online copy:"
        + " escrows wait for the copy, lookups go on), to a new file readable by you only; says what a restore will need besides it. With PostgreSQL,"
        + " use pg_dump, pg_basebackup or pgBackRest (docs/operations.md).")
final class BackupCommand extends AdminCommand {

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the backup file to create (a zip)")
    Path out;

    BackupCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    void checkArguments() {
        if (!data.embedded()) {
            throw new CliFailure("`lockkeeper backup` copies the embedded database only; this node uses PostgreSQL: back it up"
                    + " with pg_dump (a logical copy of the lockkeeper database), pg_basebackup (a physical copy of the cluster,"
                    + " with WAL archiving for point-in-time recovery) or pgBackRest; see \"Back up and restore\" in"
                    + " docs/operations.md");
        }
        Files0600.requireAbsent(out);
    }

    @Override
    int run(AdminContext context) {
        RestoreNeeds needs = context.bean(BackupFacts.class).restoreNeeds();
        long bytes;
        try {
            bytes = context.bean(EmbeddedBackup.class).backupTo(out.toAbsolutePath());
        } catch (java.io.UncheckedIOException e) {
            throw new CliFailure(e.getMessage());
        }
        say("backed up the embedded database to " + out + " (" + bytes + " bytes, readable by you only)");
        say(needs.explanation());
        say("Restore with `lockkeeper restore " + out + " --data-dir NEW_DIR`, then `lockkeeper dmk register --password-file"
                + " FILE --data-dir NEW_DIR`.");
        return 0;
    }
}
