package com.lockkeeper.cli;

import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.IssuedToken;
import com.lockkeeper.tokens.TokenSummary;
import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.UserAccounts;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "token", description = "API tokens: device enrollment tokens for escrow, personal access tokens for the staff API.",
        subcommands = {TokenCommands.Create.class, TokenCommands.List.class, TokenCommands.Revoke.class})
final class TokenCommands {

    @Command(name = "create", description = {"Create a token; it is printed once, alone on the last line.",
            "  --name NAME: a device enrollment token (escrow only).",
            "  --user USER [--name LABEL]: a personal access token for the staff API, with USER's roles."})
    static final class Create extends AdminCommand {

        @Option(names = "--name", paramLabel = "NAME", description = "what the token is for, e.g. a site, a GPO or a script")
        String name;

        @Option(names = "--user", paramLabel = "USER", description = "create a personal access token for this local user")
        String user;

        Create(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            if (user == null) {
                if (name == null) {
                    throw new CliFailure("say which token: `lockkeeper token create --name NAME` for a device enrollment"
                            + " token, or `lockkeeper token create --user USER` for a personal access token", 2);
                }
                IssuedToken token = context.bean(ApiTokens.class).createEnrollmentToken(name, context.actor());
                say("created enrollment token " + token.id() + " (" + token.name() + "); it is shown only now:");
                say(token.secret());
                return 0;
            }
            LocalAccount account = context.bean(UserAccounts.class).find(user)
                    .orElseThrow(() -> new CliFailure("there is no local user '" + user + "': see `lockkeeper user list`"));
            if (account.disabled()) {
                throw new CliFailure("user '" + account.username() + "' is disabled: enable the account before creating a"
                        + " token for it");
            }
            String label = name != null ? name : "cli-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                    .withZone(ZoneOffset.UTC).format(Instant.now());
            IssuedToken token = context.bean(ApiTokens.class).createPersonalToken(account.id(), account.username(), label,
                    context.actor());
            String roles = account.roles().isEmpty() ? "no staff role"
                    : "role(s) " + account.roles().stream().map(Role::name).collect(Collectors.joining(", "));
            say("created personal access token " + token.id() + " (" + token.name() + ") for " + account.username() + ", with "
                    + roles + "; it is shown only now:");
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
            say(String.format("%-6s %-30s %-11s %-20s %-8s %-28s %s", "ID", "NAME", "KIND", "USER", "STATE", "CREATED", "BY"));
            for (TokenSummary t : context.bean(ApiTokens.class).list()) {
                say(String.format("%-6d %-30s %-11s %-20s %-8s %-28s %s", t.id(), t.name(), t.kind(),
                        t.owner() == null ? "-" : t.owner(), t.active() ? "active" : "revoked", t.createdAt(), t.createdBy()));
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
