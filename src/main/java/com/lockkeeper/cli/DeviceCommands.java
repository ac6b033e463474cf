package com.lockkeeper.cli;

import com.lockkeeper.devices.Devices;
import com.lockkeeper.devices.EnrolledDevice;
import com.lockkeeper.devices.HardwareId;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "device", description = "Devices: list them, approve or reject a pending one, revoke one, move a volume.",
        subcommands = {DeviceCommands.List.class, DeviceCommands.Approve.class, DeviceCommands.Reject.class,
                DeviceCommands.Revoke.class, DeviceCommands.MoveVolume.class})
final class DeviceCommands {

    @Command(name = "list", description = "List devices, pending ones first (never their credentials).")
    static final class List extends AdminCommand {

        @Option(names = "--pending", description = "only the devices waiting for approval")
        boolean pending;

        List(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            java.util.List<EnrolledDevice> devices = context.bean(Devices.class).list(pending);
            if (devices.isEmpty()) {
                say(pending ? "no device is waiting for approval" : "no device has enrolled yet");
                return 0;
            }
            say(String.format("%-6s %-16s %-9s %-37s %-14s %-21s %-21s %s", "ID", "COMPUTER", "STATUS", "HARDWARE", "CLIENT",
                    "ENROLLED", "LAST SEEN", "NOTE"));
            for (EnrolledDevice d : devices) {
                say(String.format("%-6d %-16s %-9s %-37s %-14s %-21s %-21s %s", d.id(), d.computer(), d.status(),
                        d.hardwareId() == null ? "-" : HardwareId.of(d.hardwareId()), d.clientVersion() == null ? "-" : d.clientVersion(),
                        time(d.enrolledAt()), time(d.lastSeenAt()), note(d)));
            }
            return 0;
        }

        private static String note(EnrolledDevice d) {
            StringBuilder note = new StringBuilder("token " + d.enrolledBy());
            if (d.unapprovedKeys() > 0) {
                note.append(", ").append(d.unapprovedKeys()).append(" unapproved key(s)");
            }
            if (d.replacedBy() != null) {
                note.append(", replaced by ").append(d.replacedBy());
            }
            if (d.decidedBy() != null) {
                note.append(", decided by ").append(d.decidedBy());
            }
            return note.toString();
        }

        private static String time(Instant at) {
            return at == null ? "-" : at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        }
    }

    @Command(name = "approve", description = "Approve a pending device: it replaces its computer's device, whose credential"
            + " stops working, and the keys it escrowed are no longer marked.")
    static final class Approve extends AdminCommand {

        @Parameters(paramLabel = "ID", description = "the device, as `lockkeeper device list --pending` shows it")
        long id;

        Approve(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            EnrolledDevice device = context.bean(Devices.class).approve(id, context.actor());
            say("approved device " + device.id() + " of " + device.computer() + ": it is the computer's device now");
            return 0;
        }
    }

    @Command(name = "reject", description = "Reject a pending device: its credential stops working; the keys it escrowed"
            + " stay, marked.")
    static final class Reject extends AdminCommand {

        @Parameters(paramLabel = "ID")
        long id;

        Reject(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            EnrolledDevice device = context.bean(Devices.class).reject(id, context.actor());
            say("rejected device " + device.id() + " of " + device.computer());
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a device: its credential stops working (401), the enrollment token no"
            + " longer acts for its computer, and the computer's next enrollment waits for approval.")
    static final class Revoke extends AdminCommand {

        @Parameters(paramLabel = "ID")
        long id;

        Revoke(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            EnrolledDevice device = context.bean(Devices.class).revoke(id, context.actor());
            say("revoked device " + device.id() + " of " + device.computer());
            return 0;
        }
    }

    @Command(name = "move-volume", description = "Move a volume, with its keys, to another computer (a disk that really"
            + " moved); that computer's device reports and escrows it from then on.")
    static final class MoveVolume extends AdminCommand {

        @Option(names = "--volume", paramLabel = "GUID", required = true, description = "the volume GUID, as the 409 names it")
        String volume;

        @Option(names = "--to", paramLabel = "COMPUTER", required = true, description = "the computer it belongs to now")
        String computer;

        MoveVolume(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            String from = context.bean(Devices.class).moveVolume(volume, computer, context.actor());
            say("moved volume " + volume.strip() + " from " + from + " to " + computer.strip());
            return 0;
        }
    }
}
