package com.lockkeeper.cli;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.cluster.NodeRegistry;
import com.lockkeeper.keys.KeyCeremonies;
import com.lockkeeper.support.Password;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dmk", description = "The database master key: register this node, export, rotate.",
        subcommands = {DmkCommands.Register.class, DmkCommands.Unregister.class, DmkCommands.Export.class, DmkCommands.Rotate.class})
final class DmkCommands {

    static final int MIN_DMK_PASSWORD = 12;

    @Command(name = "register", description = "Let this node open the DMK by itself (after a restart or failover):"
            + " SQL Server's sp_control_dbmasterkey_password @action='add'. Asks for the DMK password.")
    static final class Register extends AdminCommand {

        @Mixin
        PasswordOptions password;

        Register(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            try (Password dmkPassword = password.read(terminal, "the DMK password", false)) {
                context.bean(KeyCeremonies.class).registerNode(dmkPassword, context.actor());
            }
            context.bean(NodeRegistry.class).recordState(context.settings().nodeName(), true);
            say("node " + context.settings().nodeName() + " is registered: it opens the DMK by itself now");
            return 0;
        }
    }

    @Command(name = "unregister", description = "Remove this node's DMK registration; the node is sealed afterwards.")
    static final class Unregister extends AdminCommand {

        Unregister(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            boolean removed = context.bean(KeyCeremonies.class).unregisterNode(context.actor());
            context.bean(NodeRegistry.class).recordState(context.settings().nodeName(), false);
            say(removed ? "node " + context.settings().nodeName() + " is unregistered and sealed"
                    : "node " + context.settings().nodeName() + " had no registration; nothing changed");
            return 0;
        }
    }

    @Command(name = "export", description = "Back up the DMK to a file, encrypted under an export password"
            + " (BACKUP MASTER KEY ... ENCRYPTION BY PASSWORD).")
    static final class Export extends ExportCommand {

        Export(Terminal terminal) {
            super(terminal);
        }

        @Override
        String what() {
            return "DMK";
        }

        @Override
        byte[] export(KeyCeremonies ceremonies, Password exportPassword, Actor actor) {
            return ceremonies.exportDmk(exportPassword, actor);
        }
    }

    @Command(name = "rotate", description = "Replace the DMK and its password, re-wrapping the datakey, in one"
            + " transaction. Other nodes must run `lockkeeper dmk register` afterwards. With --recreate, for when no node can"
            + " open the DMK: a new DMK with the datakey restored from a datakey export.")
    static final class Rotate extends AdminCommand {

        @Mixin
        PasswordOptions password;

        @Option(names = "--recreate", description = "create a new DMK although none can be opened here (needs --datakey-file)")
        boolean recreate;

        @Option(names = "--datakey-file", paramLabel = "FILE", description = "with --recreate: a `datakey export` file")
        Path datakeyFile;

        @Option(names = "--export-password-file", paramLabel = "FILE", description = "the datakey export's password, from a file")
        Path exportPasswordFile;

        @Option(names = "--export-password-env", paramLabel = "NAME", description = "the datakey export's password, from a variable")
        String exportPasswordEnv;

        Rotate(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            if (recreate != (datakeyFile != null)) {
                throw new CliFailure("--recreate and --datakey-file go together: the datakey comes from the export");
            }
            KeyCeremonies ceremonies = context.bean(KeyCeremonies.class);
            List<String> mustRegister;
            try (Password newPassword = password.read(terminal, "the new DMK password", true)) {
                requireLength(newPassword, "the new DMK password");
                if (recreate) {
                    byte[] export = Files0600.read(datakeyFile);
                    try (Password exportPassword = PasswordOptions.readFrom(terminal, exportPasswordFile, exportPasswordEnv,
                            "the datakey export's password", false, "--export-password-file", "--export-password-env")) {
                        mustRegister = ceremonies.recreateDmk(newPassword, export, exportPassword, context.actor());
                    }
                } else {
                    mustRegister = ceremonies.rotateDmk(newPassword, context.actor());
                }
            }
            say("the DMK was " + (recreate ? "recreated" : "rotated") + "; the old DMK password opens nothing any more."
                    + " Store the new password offline.");
            mustRegister.forEach(node -> context.bean(NodeRegistry.class).recordState(node, false));
            if (!mustRegister.isEmpty()) {
                say("these nodes are sealed until you run `lockkeeper dmk register` on each: " + String.join(", ", mustRegister));
            }
            return 0;
        }
    }

    static void requireLength(Password password, String what) {
        if (password.length() < MIN_DMK_PASSWORD) {
            throw new CliFailure(what + " is too short: use at least " + MIN_DMK_PASSWORD + " characters");
        }
    }
}
