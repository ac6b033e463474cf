package com.lockkeeper.cli;

import com.lockkeeper.recovery.KeyVerification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Decrypt the most recently escrowed recovery passwords on this node and count them"
        + " (the passwords are never printed).")
final class VerifyCommand extends AdminCommand {

    @Option(names = "--sample", defaultValue = "5", description = "how many of the newest keys to check (default: ${DEFAULT-VALUE})")
    int sample;

    VerifyCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    int run(AdminContext context) {
        KeyVerification.Result result = context.bean(KeyVerification.class).verify(sample, context.actor());
        if (!result.node().open()) {
            throw new CliFailure(result.node().reason(), 3);
        }
        for (String failure : result.failures()) {
            terminal.err().println("failed: " + failure);
        }
        say("node " + result.node().nodeName() + ": " + result.decrypted() + " of " + result.checked()
                + " recovery passwords decrypted" + (result.checked() == 0 ? " (none escrowed yet; the keys open)" : ""));
        return result.passed() ? 0 : 1;
    }
}
