package com.lockkeeper.cli;

import com.lockkeeper.keys.Barrier;
import com.lockkeeper.keys.RecipientKey;
import com.lockkeeper.migration.Migrations;
import com.lockkeeper.support.Password;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Leaving, or moving to another installation: a recipient keypair, and every key exported to its public key. */
final class MigrationCommands {

    private MigrationCommands() {
    }

    @Command(name = "keypair", description = "A keypair to receive keys from another installation (HPKE X25519).",
            subcommands = KeypairCreate.class)
    static final class Keypair {
    }

    @Command(name = "create", description = "Create a recipient keypair: the private key file (owner-only) stays here;"
            + " give the public key file to the installation that exports.")
    static final class KeypairCreate implements java.util.concurrent.Callable<Integer> {

        /** Accepted like every command's, though a keypair is made without the data directory. */
        @Mixin
        DataOptions data;

        private final Terminal terminal;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "the private key file to create (0600)")
        Path out;

        @Option(names = "--public-out", paramLabel = "FILE", description = "the public key file to create (default: FILE.pub)")
        Path publicOut;

        KeypairCreate(Terminal terminal) {
            this.terminal = terminal;
        }

        private void say(String line) {
            terminal.out().println(line);
        }

        @Override
        public Integer call() {
            Path publicFile = publicOut != null ? publicOut : out.resolveSibling(out.getFileName() + ".pub");
            Files0600.requireAbsent(out);
            Files0600.requireAbsent(publicFile);
            RecipientKey key = RecipientKey.generate();
            Files0600.write(out, key.privateFile());
            Files0600.write(publicFile, key.publicFile());
            say("private key written to " + out + " (keep it here, owner-only); public key to " + publicFile);
            say("fingerprint " + key.fingerprint());
            return 0;
        }
    }

    @Command(name = "export", description = "Export every key (or those of --computer) encrypted to a recipient's public"
            + " key, for another installation (`lockkeeper import bundle`). A key ceremony: it needs the DMK password, or"
            + " an open node; audited with the count and the recipient's fingerprint. Nothing is written in clear.")
    static final class Export extends AdminCommand {

        @Option(names = "--to-public-key", required = true, paramLabel = "FILE",
                description = "the recipient's public key file (`lockkeeper keypair create` on the receiving installation)")
        Path publicKey;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "the bundle file to create (0600)")
        Path out;

        @Option(names = "--computer", paramLabel = "NAME", description = "only this computer's keys (repeat for more)")
        List<String> computers = new ArrayList<>();

        @Mixin
        PasswordOptions password;

        Export(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            Files0600.requireAbsent(out);
            RecipientKey recipient = RecipientKey.readPublic(Files0600.read(publicKey));
            Migrations migrations = context.bean(Migrations.class);
            boolean useRegistration = password.file == null && password.env == null && context.bean(Barrier.class).state().open();
            StringWriter bundle = new StringWriter();
            Migrations.Exported exported;
            if (useRegistration) {
                exported = migrations.exportBundle(bundle, recipient, computers, null, context.actor());
            } else {
                try (Password dmkPassword = password.read(terminal, "the DMK password", false)) {
                    exported = migrations.exportBundle(bundle, recipient, computers, dmkPassword, context.actor());
                }
            }
            Files0600.write(out, bundle.toString().getBytes(StandardCharsets.UTF_8));
            say(exported.count() + " key(s) exported to " + out + ", encrypted to " + exported.recipient() + " (bundle "
                    + exported.bundleId() + ")");
            say("import it there with `lockkeeper import bundle " + out.getFileName() + " --private-key-file FILE`");
            return 0;
        }
    }
}
