package com.lockkeeper.cli;

import com.lockkeeper.escrow.EscrowImport;
import com.lockkeeper.keys.RecipientKey;
import com.lockkeeper.migration.InvalidSourceException;
import com.lockkeeper.migration.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `lockkeeper import mbam|entra|bundle`: the other sources, checked whole before anything is stored, then imported like `import FILE`. */
final class ImportSources {

    private ImportSources() {
    }

    /** One source: reads, imports, reports like `import FILE`. */
    abstract static class SourceImport extends AdminCommand {

        @Parameters(paramLabel = "FILE", description = "the export file")
        Path file;

        SourceImport(Terminal terminal) {
            super(terminal);
        }

        abstract Migrations.Imported read(Migrations migrations, AdminContext context, LongConsumer progress);

        @Override
        final int run(AdminContext context) {
            if (!Files.isReadable(file)) {
                throw new CliFailure("cannot read " + file + ": give the path of the export file");
            }
            ProgressBar bar = new ProgressBar(terminal.err(), "importing");
            long start = System.nanoTime();
            Migrations.Imported imported;
            try {
                imported = read(context.bean(Migrations.class), context, done -> bar.update(done, done));
            } catch (InvalidSourceException e) {
                throw new CliFailure(e.getMessage());
            }
            bar.finish();
            EscrowImport.Summary summary = imported.summary();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (summary.stored() > 0) {
                ImportCommand.compactAfterImport(this, context);
            }
            say(String.format("imported %d key(s) from %s: %d stored, %d already stored, %d conflict(s) refused (%.1f s)",
                    imported.read(), file.getFileName(), summary.stored(), summary.alreadyStored(), summary.conflicts(), seconds));
            if (!imported.note().isEmpty()) {
                say(imported.note());
            }
            if (summary.conflicts() > 0) {
                say("conflicting keys were not changed; see `lockkeeper audit` for the rows");
            }
            return summary.conflicts() > 0 ? 3 : 0;
        }
    }

    @Command(name = "mbam", description = "Import the CSV export of MBAM or Configuration Manager BitLocker management"
            + " (the query in docs/migration.md, written by sqlcmd or Export-Csv; UTF-8 or UTF-16). A file with a bad row"
            + " is refused whole, naming the rows and fields.")
    static final class Mbam extends SourceImport {

        Mbam(Terminal terminal) {
            super(terminal);
        }

        @Override
        Migrations.Imported read(Migrations migrations, AdminContext context, LongConsumer progress) {
            return migrations.importMbam(file, context.actor(), progress);
        }
    }

    @Command(name = "entra", description = "Import the keys clients/windows/Export-EntraRecoveryKeys.ps1 read from Entra ID"
            + " (Microsoft Graph). Entra ID does not know volume GUIDs: each key is attached to its volume at the device's"
            + " first check-in that reports it.")
    static final class Entra extends SourceImport {

        Entra(Terminal terminal) {
            super(terminal);
        }

        @Override
        Migrations.Imported read(Migrations migrations, AdminContext context, LongConsumer progress) {
            return migrations.importEntra(file, context.actor(), progress);
        }
    }

    @Command(name = "bundle", description = "Import a bundle another installation wrote with `lockkeeper export"
            + " --to-public-key`, with the private key of that public key. An altered, cut or foreign bundle is refused whole.")
    static final class FromBundle extends SourceImport {

        @Option(names = "--private-key-file", required = true, paramLabel = "FILE",
                description = "the private key file `lockkeeper keypair create` wrote")
        Path privateKey;

        FromBundle(Terminal terminal) {
            super(terminal);
        }

        @Override
        Migrations.Imported read(Migrations migrations, AdminContext context, LongConsumer progress) {
            RecipientKey key = RecipientKey.readPrivate(Files0600.read(privateKey));
            return migrations.importBundle(file, key, context.actor(), progress);
        }
    }
}
