package com.lockkeeper.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Programs of the machine run by the packaging tests (dpkg, tar, mount, chroot…), their output kept apart. */
public final class Commands {

    /** How a program ended: its exit code, standard output and standard error. */
    public record Result(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    private Commands() {
    }

    /** The {@code java} launcher of the JVM running the tests, for the processes they start. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code command} in this process's working directory. */
    public static Result run(String... command) throws IOException, InterruptedException {
        return run(null, Map.of(), command);
    }

    /**
     * Runs {@code command} in {@code directory} (null: this process's) with {@code environment} added;
     * fails the test if it has not ended within five minutes.
     */
    public static Result run(Path directory, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("command", ".out");
        Path err = Files.createTempFile("command", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 5 minutes");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
