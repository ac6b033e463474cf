package com.lockkeeper.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.util.function.Function;
import java.util.function.Supplier;

/** Where a command writes and what it may read: swapped for buffers and a fake environment in tests. */
public record Terminal(PrintWriter out, PrintWriter err, Function<String, String> env, Supplier<Console> console) {

    public static Terminal system() {
        return new Terminal(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System::getenv,
                System::console);
    }
}
