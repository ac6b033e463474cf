package com.lockkeeper.cli;

import com.lockkeeper.cli.Cli;
import com.lockkeeper.cli.Terminal;

/** `java -jar lockkeeper.jar COMMAND`: see `lockkeeper --help`. */
public final class Lockkeeper {

    private Lockkeeper() {
    }

    public static void main(String[] args) {
        int code = new Cli(Terminal.system()).run(args);
        if (code != Cli.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
