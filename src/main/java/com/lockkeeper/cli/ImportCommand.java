package com.lockkeeper.cli;

import com.lockkeeper.escrow.EscrowImport;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = "Import escrows from a JSON Lines file: one escrow per line, in the format of"
        + " POST /api/v1/escrow (for a mass re-escrow, or keys converted from elsewhere). Repeats are"
        + " skipped, conflicts refused and audited; a file with a malformed line is refused whole. The subcommands read"
        + " other sources the same way.",
        subcommands = {ImportSources.Mbam.class, ImportSources.Entra.class, ImportSources.FromBundle.class})
final class ImportCommand extends AdminCommand {

    @Parameters(paramLabel = "FILE", arity = "0..1", description = "the JSON Lines file")
    Path file;

    ImportCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    int run(AdminContext context) {
        if (file == null) {
            throw new CliFailure("give a JSON Lines file (`lockkeeper import FILE`), or a source:"
                    + " `lockkeeper import mbam|entra|bundle ...` (see `lockkeeper import --help`)");
        }
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
        ProgressBar bar = new ProgressBar(terminal.err(), "importing");
        long start = System.nanoTime();
        EscrowImport.Summary summary = escrowImport.importFile(file, context.actor(), done -> bar.update(done, lines));
        bar.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        say(String.format("imported %d key(s) from %s: %d stored, %d already stored, %d conflict(s) refused"
                + " (%.1f s, %.0f keys/s)", summary.lines(), file.getFileName(), summary.stored(), summary.alreadyStored(),
                summary.conflicts(), seconds, summary.lines() / Math.max(seconds, 1e-9)));
        if (summary.conflicts() > 0) {
            say("conflicting keys were not changed; see `lockkeeper audit` for the lines");
        }
        return summary.conflicts() > 0 ? 3 : 0;
    }
}
