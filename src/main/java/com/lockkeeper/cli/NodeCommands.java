package com.lockkeeper.cli;

import com.lockkeeper.keys.KeyCeremonies;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "node", description = "This server node's own key.", subcommands = NodeCommands.Init.class)
final class NodeCommands {

    @Command(name = "init", description = "Create this node's key (kept in the data directory, never in the database);"
            + " then run `lockkeeper dmk register` on this node.")
    static final class Init extends AdminCommand {

        @Option(names = "--force", description = "replace an existing node key; this node must then register again")
        boolean force;

        Init(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            boolean created = context.bean(KeyCeremonies.class).initNode(force, context.actor());
            if (!created) {
                say("this node already has a key in " + context.settings().dataDir() + "; nothing changed"
                        + " (use --force to replace it)");
                return 0;
            }
            say("created this node's key in " + context.settings().dataDir() + "; now run `lockkeeper dmk register`"
                    + " on this node with the DMK password");
            return 0;
        }
    }
}
