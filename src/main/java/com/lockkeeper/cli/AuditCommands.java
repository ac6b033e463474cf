package com.lockkeeper.cli;

import com.lockkeeper.audit.AuditAnchors;
import com.lockkeeper.audit.AuditVerification;
import com.lockkeeper.audit.AuditVerification.Head;
import com.lockkeeper.audit.AuditVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "The audit log.", subcommands = AuditCommands.Verify.class)
final class AuditCommands {

    @Command(name = "verify", description = {"Check every hash chain of the audit log and report every broken link.",
            "Each lane is also compared with its head anchored outside the database (this data directory's "
                    + AuditAnchors.FILE_NAME + " file, and any --anchors file): a lane that is gone or ends before its"
                    + " anchored record lost records. When all is intact, the heads are anchored for the next run."})
    static final class Verify extends AdminCommand {

        @Option(names = "--anchors", paramLabel = "FILE", description = "more anchored heads, e.g. the "
                + AuditAnchors.FILE_NAME + " file of another node or lines kept by your SIEM (lane, seq, hash; tab-separated)")
        List<Path> extraAnchors = new ArrayList<>();

        Verify(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            AuditAnchors anchors = context.bean(AuditAnchors.class);
            Map<String, Head> anchored = new TreeMap<>(anchors.read());
            for (Path file : extraAnchors) {
                if (!Files.isReadable(file)) {
                    throw new CliFailure("cannot read the anchors file " + file + " (--anchors)");
                }
                AuditAnchors.read(file).forEach((lane, head) -> anchored.merge(lane, head,
                        (a, b) -> a.seq() >= b.seq() ? a : b));
            }
            AuditVerification result = context.bean(AuditVerifier.class).verify(anchored);
            say(result.records() + " audit record(s) in " + result.heads().size() + " lane(s), compared with "
                    + anchored.size() + " anchored head(s)");
            result.heads().forEach((lane, head) -> say("  " + lane + "  head " + head.seq() + "  " + head.hashHex()));
            if (result.complete()) {
                anchors.anchor(result.heads());
                say("every chain is intact; the heads above are anchored in " + anchors.file());
                return 0;
            }
            if (result.intact()) {
                throw new CliFailure(result.unchecked() + " keyed audit record(s) could not be checked: "
                        + result.uncheckedBecause() + ". Run `lockkeeper audit verify` on an open node");
            }
            result.brokenLinks().forEach(link -> say("BROKEN: " + link));
            throw new CliFailure("the audit log is broken in " + result.brokenLinks().size() + " place(s), the first at "
                    + result.firstBrokenLink().orElseThrow() + ". Restore the database from a backup taken before it, and"
                    + " find out who had write access to it");
        }
    }
}
