package com.lockkeeper.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** An admin command: opens the server's components on the same data, runs, closes them. */
abstract class AdminCommand implements Callable<Integer> {

    @Mixin
    DataOptions data;

    final Terminal terminal;

    AdminCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public final Integer call() {
        checkArguments();
        try (AdminContext context = AdminContext.open(data)) {
            return run(context);
        }
    }

    /** Refuses arguments that cannot work before the server's components are opened; by default nothing to check. */
    void checkArguments() {
    }

    abstract int run(AdminContext context);

    void say(String line) {
        terminal.out().println(line);
    }
}
