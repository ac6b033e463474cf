package com.lockkeeper.cli;

import com.lockkeeper.EmbeddedStoreHousekeeping;
import com.lockkeeper.activedirectory.DirectoryException;
import com.lockkeeper.activedirectory.DirectoryImport;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.escrow.EscrowImport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `lockkeeper import`: escrows from elsewhere, by the escrow API's rules, a batch at a time. Each
 * source is a subcommand; `lockkeeper import FILE` is still the JSON Lines import.
 */
@Command(name = "import", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class, description = {"Import escrows: repeats are skipped, conflicts refused and audited.",
        "  lockkeeper import FILE (or import jsonl FILE): a JSON Lines file, one escrow per line in the format of"
                + " POST /api/v1/escrow.",
        "  lockkeeper import ad --url ldaps://DC --base-dn DN --bind-dn DN --bind-password-file FILE: the recovery"
                + " passwords Active Directory holds.",
        "  lockkeeper import ldif FILE: the same from an ldifde export.",
        "  lockkeeper import mbam FILE.csv, import entra FILE.json, import bundle FILE --private-key-file FILE: keys"
                + " exported from MBAM or Configuration Manager, from Entra ID, or from another Lockkeeper."},
        subcommands = {ImportCommand.JsonLines.class, ImportCommand.ActiveDirectory.class, ImportCommand.Ldif.class,
                ImportSources.Mbam.class, ImportSources.Entra.class, ImportSources.FromBundle.class})
final class ImportCommand extends AdminCommand {

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "a JSON Lines file of escrows (the same as `import jsonl FILE`)")
    Path file;

    ImportCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    void checkArguments() {
        if (file == null) {
            throw new CliFailure("say what to import: `lockkeeper import FILE` for a JSON Lines file, `lockkeeper import ad"
                    + " --url ldaps://DC --base-dn DN --bind-dn DN --bind-password-file FILE` for Active Directory, or"
                    + " `lockkeeper import ldif FILE` for an ldifde export, `lockkeeper import mbam|entra|bundle ...` for"
                    + " the others (see `lockkeeper import --help`)", 2);
        }
    }

    @Override
    int run(AdminContext context) {
        return JsonLines.importFile(this, context, file);
    }

    @Command(name = "jsonl", description = "Import escrows from a JSON Lines file: one escrow per line, in the format of"
            + " POST /api/v1/escrow (for keys moved over from another system, or a mass re-escrow). Repeats are skipped,"
            + " conflicts refused and audited; a file with a malformed line is refused whole.")
    static final class JsonLines extends AdminCommand {

        @Parameters(paramLabel = "FILE", description = "the JSON Lines file")
        Path file;

        JsonLines(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            return importFile(this, context, file);
        }

        static int importFile(AdminCommand command, AdminContext context, Path file) {
            if (!Files.isReadable(file)) {
                throw new CliFailure("cannot read " + file + ": give the path of a JSON Lines file of escrows");
            }
            EscrowImport escrowImport = context.bean(EscrowImport.class);
            long lines;
            try {
                lines = escrowImport.check(file);
            } catch (EscrowImport.InvalidFileException e) {
                throw new CliFailure(e.getMessage());
            }
            ProgressBar bar = new ProgressBar(command.terminal.err(), "importing");
            long start = System.nanoTime();
            EscrowImport.Summary summary = escrowImport.importFile(file, context.actor(), done -> bar.update(done, lines));
            bar.finish();
            double seconds = (System.nanoTime() - start) / 1e9;
            if (summary.stored() > 0) {
                compactAfterImport(command, context);
            }
            command.say(String.format("imported %d key(s) from %s: %d stored, %d already stored, %d conflict(s) refused"
                    + " (%.1f s, %.0f keys/s)", summary.lines(), file.getFileName(), summary.stored(), summary.alreadyStored(),
                    summary.conflicts(), seconds, summary.lines() / Math.max(seconds, 1e-9)));
            if (summary.conflicts() > 0) {
                command.say("conflicting keys were not changed; see `lockkeeper audit` for the lines");
            }
            return summary.conflicts() > 0 ? 3 : 0;
        }
    }

    /** How long an import may spend compacting the embedded database file it leaves. */
    static final Duration COMPACT_BUDGET = Duration.ofMinutes(5);

    /**
     * An import writes a thousand keys per commit and leaves the embedded database file mostly free
     * space; when no server holds the file, the import compacts it before it ends, so the server
     * starts on a compact file. With a server running, the file stays as it is until the server stops.
     */
    static void compactAfterImport(AdminCommand command, AdminContext context) {
        if (!context.settings().embedded()) {
            return;
        }
        try {
            context.bean(EmbeddedStoreHousekeeping.class).compactNow(COMPACT_BUDGET);
        } catch (java.sql.SQLException | RuntimeException e) {
            command.terminal.err().println("lockkeeper: the import is complete, but compacting the database file failed ("
                    + e.getClass().getSimpleName() + "); the file is larger than it needs to be, nothing is lost");
        }
    }

    @Command(name = "ad", description = {"Import the BitLocker recovery passwords Active Directory holds: every"
            + " msFVE-RecoveryInformation object under the base DN, with its computer (dNSHostName of the parent object).",
            "Read only; keys get the volume type Unknown until their device checks in. A re-run stores nothing twice;"
                    + " a finished run records the domain controller's USN, from which `--changes-only` and the server's"
                    + " sync (lockkeeper.sync.ad.*) carry on.",
            "Exit code 3 when a key conflicts with a stored one or an object could not be imported."})
    static final class ActiveDirectory extends AdminCommand {

        @Option(names = "--url", required = true, paramLabel = "URL",
                description = "the domain controller: ldaps://dc1.corp.example.com (or ldap://, unencrypted)")
        String url;

        @Option(names = "--base-dn", required = true, paramLabel = "DN",
                description = "where to look, like DC=corp,DC=example,DC=com or an OU of computers")
        String baseDn;

        @Option(names = "--bind-dn", required = true, paramLabel = "DN",
                description = "the reading account, like CN=svc-lockkeeper,OU=Service,DC=corp,DC=example,DC=com")
        String bindDn;

        @Option(names = "--bind-password-file", required = true, paramLabel = "FILE",
                description = "file whose first line is the reading account's password")
        Path bindPasswordFile;

        @Option(names = "--ca-file", paramLabel = "FILE",
                description = "for ldaps: PEM file of the CA certificate(s) that issued the domain controller's certificate"
                        + " (default: the JVM's trust store)")
        Path caFile;

        @Option(names = "--page-size", paramLabel = "N", defaultValue = "1000",
                description = "entries per page (Active Directory's MaxPageSize is 1,000; default ${DEFAULT-VALUE})")
        int pageSize;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "60s",
                description = "time-out of each request to the directory, like 30s or 2m (default ${DEFAULT-VALUE})")
        Duration timeout;

        @Option(names = "--changes-only",
                description = "read only the objects changed since the last finished run against this domain controller")
        boolean changesOnly;

        ActiveDirectory(Terminal terminal) {
            super(terminal);
        }

        @Override
        void checkArguments() {
            if (!Files.isReadable(bindPasswordFile)) {
                throw new CliFailure("cannot read the bind password file " + bindPasswordFile + " (--bind-password-file):"
                        + " put the reading account's password on its first line, readable only by you");
            }
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new CliFailure("--timeout must be longer than zero and at most 1h, like 30s");
            }
            if (caFile != null && !Files.isReadable(caFile)) {
                throw new CliFailure("cannot read the CA file " + caFile + " (--ca-file): give a PEM file of the CA"
                        + " certificate(s) that issued the domain controllers' certificates");
            }
        }

        @Override
        int run(AdminContext context) {
            DirectoryImport.Connection connection = new DirectoryImport.Connection(url, baseDn, bindDn, bindPasswordFile,
                    caFile, pageSize, timeout);
            ProgressBar bar = new ProgressBar(terminal.err(), "importing");
            DirectoryImport.Report report;
            try {
                report = context.bean(DirectoryImport.class).importDirectory(connection, changesOnly,
                        AuditAction.DIRECTORY_IMPORT, context.actor(), bar::update);
            } catch (DirectoryException e) {
                bar.finish();
                throw new CliFailure(e.getMessage() + "; what was stored before stays, and a re-run stores nothing twice");
            }
            bar.finish();
            if (report.summary().stored() > 0) {
                compactAfterImport(this, context);
            }
            return Reports.print(this, report);
        }
    }

    @Command(name = "ldif", description = {"Import the BitLocker recovery passwords of an LDIF export of Active Directory,"
            + " made with: ldifde -f keys.ldf -d \"DC=corp,DC=example,DC=com\""
            + " -r \"(|(objectClass=msFVE-RecoveryInformation)(objectClass=computer))\""
            + " -l \"objectClass,cn,dNSHostName,msFVE-RecoveryPassword,msFVE-RecoveryGuid,msFVE-VolumeGuid,msFVE-KeyPackage,whenCreated\"",
            "Without the computer objects in the file, each key's computer is the name of its parent object in the DN.",
            "Exit code 3 when a key conflicts with a stored one or an object could not be imported."})
    static final class Ldif extends AdminCommand {

        @Parameters(paramLabel = "FILE", description = "the LDIF file")
        Path file;

        Ldif(Terminal terminal) {
            super(terminal);
        }

        @Override
        void checkArguments() {
            if (!Files.isReadable(file)) {
                throw new CliFailure("cannot read " + file + ": give the path of an LDIF export made by ldifde");
            }
        }

        @Override
        int run(AdminContext context) {
            ProgressBar bar = new ProgressBar(terminal.err(), "importing");
            DirectoryImport.Report report;
            try {
                report = context.bean(DirectoryImport.class).importLdif(file, AuditAction.DIRECTORY_IMPORT, context.actor(),
                        bar::update);
            } catch (DirectoryException e) {
                bar.finish();
                throw new CliFailure(e.getMessage());
            }
            bar.finish();
            if (report.summary().stored() > 0) {
                compactAfterImport(this, context);
            }
            return Reports.print(this, report);
        }
    }

    /** The summary both directory imports print. */
    private static final class Reports {

        static int print(AdminCommand command, DirectoryImport.Report report) {
            double seconds = Math.max(report.elapsed().toNanos() / 1e9, 1e-9);
            command.say(String.format("imported from %s: %s (%.1f s, %.0f keys/s)", report.source(), report.counts(), seconds,
                    report.summary().lines() / seconds));
            if (report.unreadable() > 0) {
                command.say("recovery objects not imported" + (report.unreadable() > report.unreadableExamples().size()
                        ? " (the first " + report.unreadableExamples().size() + ")" : "") + ":");
                report.unreadableExamples().forEach(line -> command.say("  " + line));
            }
            if (report.skippedComputers() > 0) {
                command.say("computers skipped" + (report.skippedComputers() > report.skippedExamples().size()
                        ? " (the first " + report.skippedExamples().size() + ")" : "") + ":");
                report.skippedExamples().forEach(line -> command.say("  " + line));
            }
            if (report.summary().conflicts() > 0) {
                command.say("conflicting keys were not changed; see `lockkeeper audit` for the objects");
            }
            if (report.nextUsn() != null) {
                command.say("domain controller " + report.controller() + " read up to USN " + (report.nextUsn() - 1)
                        + "; `import ad --changes-only` and the server's sync (lockkeeper.sync.ad.*) carry on from there");
            }
            boolean attention = report.summary().conflicts() > 0 || report.unreadable() > 0 || report.skippedComputers() > 0;
            return attention ? 3 : 0;
        }
    }
}
