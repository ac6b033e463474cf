package com.lockkeeper.cli;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.keys.KeyCeremonies;
import com.lockkeeper.support.Password;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A key backup: asks for an export password, exports, writes a new owner-only file. */
abstract class ExportCommand extends AdminCommand {

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the backup file to create")
    Path out;

    @Mixin
    PasswordOptions password;

    ExportCommand(Terminal terminal) {
        super(terminal);
    }

    /** What is exported, for the confirmation line. */
    abstract String what();

    abstract byte[] export(KeyCeremonies ceremonies, Password exportPassword, Actor actor);

    @Override
    final int run(AdminContext context) {
        Files0600.requireAbsent(out);
        byte[] file;
        try (Password exportPassword = password.read(terminal, "a password for the export", true)) {
            DmkCommands.requireLength(exportPassword, "the export password");
            file = export(context.bean(KeyCeremonies.class), exportPassword, context.actor());
        }
        Files0600.write(out, file);
        say(what() + " exported to " + out + "; keep it offline, apart from its password");
        return 0;
    }
}
