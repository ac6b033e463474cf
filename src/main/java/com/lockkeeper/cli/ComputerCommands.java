package com.lockkeeper.cli;

import com.lockkeeper.retention.ComputerRetention;
import com.lockkeeper.retention.Retention;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "computer", description = "Retention of computers that are gone: retire one (its keys are purged after"
        + " lockkeeper.retention.purge-after), undo that, put one on legal hold or release it, list them.",
        subcommands = {ComputerCommands.List.class, ComputerCommands.Retire.class, ComputerCommands.Unretire.class,
                ComputerCommands.Hold.class, ComputerCommands.Release.class})
final class ComputerCommands {

    @Command(name = "list", description = "List the computers that are retired, on legal hold or stale (not checked in).")
    static final class List extends AdminCommand {

        List(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            java.util.List<ComputerRetention> computers = context.bean(Retention.class).tracked();
            if (computers.isEmpty()) {
                say("no computer is retired, on legal hold or stale");
                return 0;
            }
            say(String.format("%-16s %-21s %-21s %-21s %s", "COMPUTER", "LAST CHECK-IN", "RETIRED", "LEGAL HOLD", "NOTE"));
            for (ComputerRetention c : computers) {
                String note = (c.retired() ? "retired: " + c.retiredReason() : "")
                        + (c.onHold() ? (c.retired() ? "; " : "") + "hold: " + c.holdReason() : "")
                        + (c.stale() ? ((c.retired() || c.onHold()) ? "; " : "") + "stale since " + time(c.staleSince()) : "");
                say(String.format("%-16s %-21s %-21s %-21s %s", c.name(), time(c.lastCheckin()), time(c.retiredAt()), time(c.holdAt()),
                        note));
            }
            return 0;
        }
    }

    @Command(name = "retire", description = "Retire a computer that is gone: its keys are purged after"
            + " lockkeeper.retention.purge-after unless it is on legal hold or checks in again.")
    static final class Retire extends AdminCommand {

        @Parameters(paramLabel = "NAME", description = "the computer's name")
        String name;

        @Option(names = "--reason", required = true, description = "why, for the audit log (like: decommissioned, ticket 4711)")
        String reason;

        Retire(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            Retention retention = context.bean(Retention.class);
            ComputerRetention c = retention.retire(name, reason, context.actor());
            say("retired " + c.name() + ": " + retention.settings().purge()
                    .map(p -> "its keys are purged on " + time(c.retiredAt().plus(p)) + " unless it is on legal hold or checks in")
                    .orElse("its keys are kept (lockkeeper.retention.purge-after is not set)"));
            return 0;
        }
    }

    @Command(name = "unretire", description = "Undo a retirement: the computer is in use again and its keys are kept.")
    static final class Unretire extends AdminCommand {

        @Parameters(paramLabel = "NAME", description = "the computer's name")
        String name;

        Unretire(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            ComputerRetention c = context.bean(Retention.class).unretire(name, context.actor());
            say(c.name() + " is no longer retired: its keys are kept");
            return 0;
        }
    }

    @Command(name = "hold", description = "Put a computer on legal hold: none of its keys is purged until it is released.")
    static final class Hold extends AdminCommand {

        @Parameters(paramLabel = "NAME", description = "the computer's name")
        String name;

        @Option(names = "--reason", required = true, description = "why, for the audit log (like: litigation 2026-17)")
        String reason;

        Hold(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            ComputerRetention c = context.bean(Retention.class).hold(name, reason, context.actor());
            say(c.name() + " is on legal hold: none of its keys is purged until `lockkeeper computer release " + c.name() + "`");
            return 0;
        }
    }

    @Command(name = "release", description = "End a computer's legal hold: its keys follow the retention again.")
    static final class Release extends AdminCommand {

        @Parameters(paramLabel = "NAME", description = "the computer's name")
        String name;

        Release(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            ComputerRetention c = context.bean(Retention.class).release(name, context.actor());
            say(c.name() + " is no longer on legal hold" + (c.retired() ? ": its keys follow the retention again" : ""));
            return 0;
        }
    }

    private static String time(Instant at) {
        return at == null ? "-" : at.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
