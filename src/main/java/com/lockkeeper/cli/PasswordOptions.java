package com.lockkeeper.cli;

import com.lockkeeper.support.IoProblems;
import com.lockkeeper.support.Password;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A password from a file, an environment variable or a prompt: never from the command line itself. */
public final class PasswordOptions {

    @Option(names = "--password-file", paramLabel = "FILE", description = "read the password from the first line of FILE")
    Path file;

    @Option(names = "--password-env", paramLabel = "NAME", description = "read the password from environment variable NAME")
    String env;

    Password read(Terminal terminal, String what, boolean confirmNew) {
        return readFrom(terminal, file, env, what, confirmNew, "--password-file", "--password-env");
    }

    static Password readFrom(Terminal terminal, Path file, String env, String what, boolean confirmNew, String fileOption,
            String envOption) {
        if (file != null && env != null) {
            throw new CliFailure("give either " + fileOption + " or " + envOption + ", not both");
        }
        if (file != null) {
            return fromFile(file, what, fileOption);
        }
        if (env != null) {
            String value = terminal.env().apply(env);
            if (value == null || value.isEmpty()) {
                throw new CliFailure("environment variable " + env + " (" + envOption + ") is not set or empty");
            }
            return Password.copyOf(value);
        }
        return prompt(terminal, what, confirmNew, fileOption, envOption);
    }

    private static Password fromFile(Path file, String what, String option) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliFailure("cannot read " + what + " from " + file + " (" + option + "): " + IoProblems.describe(e));
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        java.util.Arrays.fill(bytes, (byte) 0);
        int end = text.indexOf('\n');
        String line = (end < 0 ? text : text.substring(0, end));
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new CliFailure(file + " (" + option + ") is empty: it should hold " + what + " on its first line");
        }
        return Password.copyOf(line);
    }

    private static Password prompt(Terminal terminal, String what, boolean confirmNew, String fileOption, String envOption) {
        Console console = terminal.console().get();
        if (console == null) {
            throw new CliFailure("no terminal to ask for " + what + ": use " + fileOption + " FILE or " + envOption + " NAME");
        }
        char[] first = console.readPassword("%s: ", capitalize(what));
        if (first == null || first.length == 0) {
            throw new CliFailure("no " + what + " was entered");
        }
        Password password = Password.wrap(first);
        if (confirmNew) {
            char[] again = console.readPassword("Repeat %s: ", what);
            try (Password repeated = Password.wrap(again == null || again.length == 0 ? new char[] {'\0'} : again)) {
                if (!password.sameAs(repeated)) {
                    password.close();
                    throw new CliFailure("the two entries of " + what + " differ; nothing was changed");
                }
            }
        }
        return password;
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
