package com.lockkeeper.cli;

import com.lockkeeper.audit.AuditVerification;
import com.lockkeeper.audit.AuditVerifier;
import picocli.CommandLine.Command;

@Command(name = "audit", description = "The audit log.", subcommands = AuditCommands.Verify.class)
final class AuditCommands {

    @Command(name = "verify", description = "Check every hash chain of the audit log and report the first broken link."
            + " Note the lane heads it prints: comparing them later also detects records cut from the end.")
    static final class Verify extends AdminCommand {

        Verify(Terminal terminal) {
            super(terminal);
        }

        @Override
        int run(AdminContext context) {
            AuditVerification result = context.bean(AuditVerifier.class).verify();
            say(result.records() + " audit record(s) in " + result.heads().size() + " lane(s)");
            result.heads().forEach((lane, head) -> say("  " + lane + "  head " + head.seq() + "  " + head.hashHex()));
            if (result.intact()) {
                say("every chain is intact");
                return 0;
            }
            throw new CliFailure("audit log broken at " + result.firstBrokenLink().orElseThrow());
        }
    }
}
