package com.lockkeeper.cli;

/** A command that cannot complete: the message is printed as the one-line reason. */
final class CliFailure extends RuntimeException {

    private final int exitCode;

    CliFailure(String message) {
        this(message, 1);
    }

    CliFailure(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
