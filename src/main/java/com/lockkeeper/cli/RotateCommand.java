package com.lockkeeper.cli;

import com.lockkeeper.lifecycle.RotationProgress;
import com.lockkeeper.lifecycle.RotationScope;
import com.lockkeeper.lifecycle.Rotations;
import com.lockkeeper.http.FieldError;
import com.lockkeeper.http.InvalidRequestException;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "rotate", description = {"Ask devices to replace recovery passwords: each adds a new one, escrows it and"
        + " removes the old one at its next check-in; the old key is retired when the device confirms.",
        "  lockkeeper rotate --key ID --reason TEXT",
        "  lockkeeper rotate --computer NAME --reason TEXT",
        "  lockkeeper rotate --all --reason TEXT      (after an incident)",
        "  lockkeeper rotate --progress               (the latest requests: pending and done)"})
final class RotateCommand extends AdminCommand {

    static final class What {
        @Option(names = "--key", paramLabel = "ID", description = "one key, by its whole recovery password ID")
        String key;

        @Option(names = "--computer", paramLabel = "NAME", description = "every key of this computer")
        String computer;

        @Option(names = "--all", description = "every key that is not retired")
        boolean all;

        @Option(names = "--progress", description = "show the latest rotation requests and how far the devices have got")
        boolean progress;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Option(names = "--reason", paramLabel = "TEXT", description = "why (an incident number...); recorded in the audit log")
    String reason;

    RotateCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    int run(AdminContext context) {
        Rotations rotations = context.bean(Rotations.class);
        if (what.progress) {
            List<RotationProgress> latest = rotations.latest(20);
            if (latest.isEmpty()) {
                say("no rotation has been requested yet: `lockkeeper rotate --key ID --reason TEXT` requests one");
                return 0;
            }
            say(String.format("%-6s %-46s %-8s %-8s %-8s %s", "ID", "WHAT", "KEYS", "PENDING", "DONE", "REQUESTED"));
            for (RotationProgress r : latest) {
                say(String.format("%-6d %-46s %-8d %-8d %-8d %s by %s", r.id(), what(r), r.keysRequested(), r.pending(), r.done(),
                        r.requestedAt(), r.requestedBy()));
            }
            return 0;
        }
        RotationScope scope = what.all ? RotationScope.ALL : what.computer != null ? RotationScope.COMPUTER : RotationScope.KEY;
        RotationProgress progress;
        try {
            progress = rotations.request(scope, what.key != null ? what.key : what.computer, reason, context.actor());
        } catch (InvalidRequestException e) {
            throw new CliFailure(e.errors().stream().map(RotateCommand::option).collect(Collectors.joining("; ")), 2);
        }
        say("rotation request " + progress.id() + ": " + progress.keysRequested() + " key(s) to rotate"
                + (progress.alreadyPending() > 0 ? ", " + progress.alreadyPending() + " had a rotation pending already" : "")
                + ". Devices rotate them at their next check-in; follow with `lockkeeper rotate --progress`.");
        return 0;
    }

    private static String what(RotationProgress r) {
        return "all".equals(r.scope()) ? "every key" : r.scope() + " " + r.target();
    }

    private static String option(FieldError error) {
        return "--" + error.field() + " " + error.reason();
    }
}
