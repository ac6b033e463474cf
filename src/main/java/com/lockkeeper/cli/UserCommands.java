package com.lockkeeper.cli;

import com.lockkeeper.support.Password;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.UserAccount;
import com.lockkeeper.users.UserAccounts;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "user", description = "Local staff accounts.",
        subcommands = {UserCommands.Add.class, UserCommands.Passwd.class, UserCommands.List.class})
final class UserCommands {

    @Command(name = "add", description = "Add a local account. Asks for its password.")
    static final class Add extends AdminCommand {

        @Parameters(paramLabel = "NAME")
        String username;

        @Option(names = "--role", required = true, split = ",", paramLabel = "ROLE",
                description = "one or more of HELPDESK, ADVANCED_HELPDESK, AUDITOR, ADMIN")
        java.util.List<String> roles;

        @Mixin
        PasswordOptions password;

        private final Set<Role> parsed = EnumSet.noneOf(Role.class);

        Add(Terminal terminal) {
            super(terminal);
        }

        /** The name and roles are checked before the password is asked for. */
        @Override
        void checkArguments() {
            UserAccounts.requireValidUsername(username);
            roles.forEach(r -> parsed.add(Role.parse(r)));
        }

        @Override
        int run(AdminContext context) {
            try (Password userPassword = password.read(terminal, "the password for " + username, true)) {
                context.bean(UserAccounts.class).add(username, parsed, userPassword, context.actor());
            }
            say("added user " + username + " with role(s) " + parsed.stream().map(Role::name).collect(Collectors.joining(", ")));
            return 0;
        }
    }

    @Command(name = "passwd", description = "Set a local account's password. Asks for the new password.")
    static final class Passwd extends AdminCommand {

        @Parameters(paramLabel = "NAME")
        String username;

        @Mixin
        PasswordOptions password;

        Passwd(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            try (Password userPassword = password.read(terminal, "the new password for " + username, true)) {
                context.bean(UserAccounts.class).changePassword(username, userPassword, context.actor());
            }
            say("password changed for " + username);
            return 0;
        }
    }

    @Command(name = "list", description = "List local accounts and their roles.")
    static final class List extends AdminCommand {

        List(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            say(String.format("%-24s %-40s %s", "NAME", "ROLES", "STATE"));
            for (UserAccount user : context.bean(UserAccounts.class).list()) {
                String state = user.disabled() ? "disabled" : user.mustChangePassword() ? "must change password" : "active";
                say(String.format("%-24s %-40s %s", user.username(),
                        user.roles().stream().map(Role::name).collect(Collectors.joining(",")), state));
            }
            return 0;
        }
    }
}
