package com.lockkeeper.cli;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.cluster.NodeInfo;
import com.lockkeeper.cluster.NodeRegistry;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.escrow.Reencryption;
import com.lockkeeper.keys.KeyCeremonies;
import com.lockkeeper.keys.HierarchyStatus;
import com.lockkeeper.streaming.AuditStreaming;
import com.lockkeeper.streaming.SinkLag;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.TokenSummary;
import com.lockkeeper.users.UserAccounts;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import picocli.CommandLine.Command;

@Command(name = "status", description = "Show this node, every node's state (open or sealed), the key hierarchy, and how far"
        + " behind each audit streaming sink is.")
final class StatusCommand extends AdminCommand {

    StatusCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    int run(AdminContext context) {
        LockkeeperSettings settings = context.settings();
        HierarchyStatus keys = context.bean(KeyCeremonies.class).status();
        say("Data directory: " + settings.dataDir());
        say("Database:       " + (settings.embedded() ? "embedded H2 in " + settings.dataDir() : settings.jdbcUrl()));
        say("This node:      " + keys.thisNode().nodeName() + " - " + keys.thisNode().label()
                + (keys.thisNode().open() ? "" : " (" + keys.thisNode().reason() + ")"));
        say("DMK:            " + (keys.dmkVersion() == null ? "none" : "version " + keys.dmkVersion() + ", created " + keys.dmkCreatedAt()));
        say("Datakey: primary key version " + keys.datakeyPrimaryKeyId() + ", private half "
                + (keys.datakeyPrivateHalfPresent() ? "present" : "MISSING (run `lockkeeper datakey import FILE`)"));
        say("Seal epochs:    " + keys.sealEpochs());
        say("");
        say("DMK registrations:");
        Set<String> current = new HashSet<>();
        for (HierarchyStatus.Registration r : keys.registrations()) {
            if (r.current()) {
                current.add(r.nodeName());
            }
            say("  " + r.nodeName() + "  DMK version " + r.dmkVersion() + "  registered " + r.registeredAt()
                    + (r.current() ? "" : "  STALE: run `lockkeeper dmk register` on " + r.nodeName()));
        }
        if (keys.registrations().isEmpty()) {
            say("  none: every node is sealed; run `lockkeeper dmk register` on each node");
        }
        say("");
        say("Nodes:");
        Instant now = Instant.now();
        for (NodeInfo node : context.bean(NodeRegistry.class).nodes()) {
            say("  " + node.name() + "  version " + node.version() + "  last seen " + ago(node.lastSeen(), now)
                    + "  " + node.state() + "  " + decryption(node, current.contains(node.name())));
        }
        if (!settings.embedded()) {
            say("  (a node appears here once it has run `lockkeeper serve`; each records a heartbeat every 30 s)");
        }
        say("");
        long activeTokens = context.bean(ApiTokens.class).list().stream().filter(TokenSummary::active).count();
        say("Computers: " + context.bean(ComputerRepository.class).count() + ", recovery keys: "
                + context.bean(RecoveryKeyRepository.class).count() + ", active tokens: " + activeTokens
                + ", users: " + context.bean(UserAccounts.class).list().size());
        AuditStreaming streaming = context.bean(AuditStreaming.class);
        if (streaming.enabled()) {
            say("");
            say("Audit streaming:");
            for (SinkLag lag : streaming.lag()) {
                say("  " + streamingLine(lag, now));
            }
        }
        if (context.bean(Reencryption.class).interruptedRunExists()) {
            say("Re-encryption: interrupted; run `lockkeeper datakey rotate --reencrypt` to resume it");
        }
        return 0;
    }

    /** One sink: where it sends, how far behind it is, who ships it, and its last failure if that came last. */
    static String streamingLine(SinkLag lag, Instant now) {
        StringBuilder line = new StringBuilder(lag.sink() + "  " + lag.target() + "  ");
        line.append(lag.waiting() == 0 ? "up to date" : lag.waiting() + " record(s) waiting, the oldest written "
                + lag.oldestWaiting().map(age -> ago(now.minus(age), now)).orElse("just now"));
        line.append(lag.lastDelivery().map(at -> ", last delivery " + ago(at, now)).orElse(", nothing delivered yet"));
        line.append(lag.shippedBy().map(node -> ", shipped by " + node).orElse(", no node ships it now (is a server running?)"));
        lag.lastError().ifPresent(error -> line.append("; FAILING since ").append(lag.lastErrorAt().map(at -> ago(at, now)).orElse("?"))
                .append(": ").append(error));
        return line.toString();
    }

    /** Whether the node can decrypt, and if not what to run on it: Configuration Manager's hunt for "the node where the DMK is open". */
    private static String decryption(NodeInfo node, boolean currentRegistration) {
        if (!currentRegistration) {
            return "cannot decrypt: no current DMK registration; run `lockkeeper dmk register` on " + node.name();
        }
        if (!"open".equals(node.state())) {
            return "cannot decrypt: sealed at its last heartbeat although registered; run `lockkeeper status` on "
                    + node.name() + " for the reason";
        }
        return "can decrypt";
    }

    private static String ago(Instant then, Instant now) {
        long seconds = Math.max(0, Duration.between(then, now).getSeconds());
        return seconds < 120 ? seconds + " s ago" : seconds / 60 + " min ago (" + then + ")";
    }
}
