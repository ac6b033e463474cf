package com.lockkeeper.cli;

import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.IssuedToken;
import com.lockkeeper.tokens.TokenSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", description = "Device enrollment tokens for the escrow API.",
        subcommands = {TokenCommands.Create.class, TokenCommands.List.class, TokenCommands.Revoke.class})
final class TokenCommands {

    @Command(name = "create", description = "Create an enrollment token; it is printed once, alone on the last line.")
    static final class Create extends AdminCommand {

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "what the token is for, e.g. a site or a GPO")
        String name;

        Create(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            IssuedToken token = context.bean(ApiTokens.class).createEnrollmentToken(name, context.actor());
            say("created enrollment token " + token.id() + " (" + token.name() + "); it is shown only now:");
            say(token.secret());
            return 0;
        }
    }

    @Command(name = "list", description = "List tokens (never their secrets).")
    static final class List extends AdminCommand {

        List(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            say(String.format("%-6s %-30s %-11s %-8s %-28s %s", "ID", "NAME", "KIND", "STATE", "CREATED", "BY"));
            for (TokenSummary t : context.bean(ApiTokens.class).list()) {
                say(String.format("%-6d %-30s %-11s %-8s %-28s %s", t.id(), t.name(), t.kind(),
                        t.active() ? "active" : "revoked", t.createdAt(), t.createdBy()));
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a token by name or id; devices using it get 401 from then on.")
    static final class Revoke extends AdminCommand {

        @Parameters(paramLabel = "NAME|ID")
        String nameOrId;

        Revoke(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            TokenSummary revoked = context.bean(ApiTokens.class).revoke(nameOrId, context.actor());
            say("revoked token " + revoked.id() + " (" + revoked.name() + ")");
            return 0;
        }
    }
}
