package com.lockkeeper.cli;

import com.lockkeeper.escrow.Reencryption;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.keys.KeyCeremonies;
import com.lockkeeper.support.Password;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "datakey", description = "The datakey (the recovery data keyset, HPKE) that seals every recovery password: export, import, rotate.",
        subcommands = {DatakeyCommands.Export.class, DatakeyCommands.Import.class, DatakeyCommands.Rotate.class})
final class DatakeyCommands {

    @Command(name = "export", description = "Back up the datakey (every key version) to a file, encrypted under"
            + " an export password (BACKUP CERTIFICATE ... WITH PRIVATE KEY).")
    static final class Export extends ExportCommand {

        Export(Terminal terminal) {
            super(terminal);
        }

        @Override
        String what() {
            return "datakey";
        }

        @Override
        byte[] export(KeyCeremonies ceremonies, Password exportPassword, Actor actor) {
            return ceremonies.exportDatakey(exportPassword, actor);
        }
    }

    @Command(name = "import", description = "Restore the datakey from an export, under the current DMK"
            + " (CREATE CERTIFICATE ... FROM FILE).")
    static final class Import extends AdminCommand {

        @Parameters(paramLabel = "FILE", description = "a `datakey export` file")
        Path file;

        @Mixin
        PasswordOptions password;

        Import(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            byte[] export = Files0600.read(file);
            try (Password exportPassword = password.read(terminal, "the export's password", false)) {
                context.bean(KeyCeremonies.class).importDatakey(export, exportPassword, context.actor());
            }
            say("datakey imported; run `lockkeeper verify` to check that keys decrypt");
            return 0;
        }
    }

    @Command(name = "rotate", description = "Add a new primary key version and re-seal every epoch key under it; old rows stay"
            + " readable throughout. With --reencrypt, also re-encrypt every row under fresh epoch keys (resumable).")
    static final class Rotate extends AdminCommand {

        @Option(names = "--reencrypt", description = "also re-encrypt every stored secret; an interrupted run resumes")
        boolean reencrypt;

        Rotate(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            Reencryption reencryption = context.bean(Reencryption.class);
            if (reencrypt && reencryption.interruptedRunExists()) {
                say("resuming the interrupted re-encryption (the key version was rotated already)");
            } else {
                ProgressBar bar = new ProgressBar(terminal.err(), "re-sealing epoch keys");
                long resealed = context.bean(KeyCeremonies.class).rotateDatakey(context.actor(), done -> bar.update(done, done));
                bar.finish();
                say("new primary key version; " + resealed + " epoch key(s) re-sealed under it."
                        + " Take a new `lockkeeper datakey export`: older exports lack this version");
            }
            if (reencrypt) {
                ProgressBar bar = new ProgressBar(terminal.err(), "re-encrypting");
                Reencryption.Result result = reencryption.run(context.actor(), bar::update);
                bar.finish();
                say(result.rowsReencrypted() + " row(s) re-encrypted under fresh epoch keys");
            }
            return 0;
        }
    }
}
