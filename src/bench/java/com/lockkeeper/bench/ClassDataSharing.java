package com.lockkeeper.bench;

import com.lockkeeper.testing.Commands;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The start-up steps of docs/operations.md (extract the jar, one training run), so the harness can start the server
 * both ways: an AOT cache when the harness runs on Java 25 or later, as the Debian package makes it, else an AppCDS archive.
 */
final class ClassDataSharing {

    /** The extracted jar and its trained archive. */
    record Prepared(Path jar, Path archive) {
        List<String> jvmOptions() {
            return List.of(aotCache() ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive);
        }
    }

    static boolean aotCache() {
        return Runtime.version().feature() >= 25;
    }

    private ClassDataSharing() {
    }

    static Prepared prepare(Path jar, Path work) throws IOException, InterruptedException {
        Path app = work.resolve("cds");
        Path archive = app.resolve(aotCache() ? "lockkeeper.aot" : "lockkeeper.jsa");
        java(work.resolve("cds-extract.log"), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--force", "--destination",
                app.toString());
        Path extracted = app.resolve(jar.getFileName());
        Path training = Files.createTempDirectory(work, "cds-training-");
        java(work.resolve("cds-training.log"), (aotCache() ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + archive,
                "-Dspring.context.exit=onRefresh", "-jar",
                extracted.toString(), "serve", "--data-dir", training.toString(), "--port", "0");
        return new Prepared(extracted, archive);
    }

    private static void java(Path log, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Commands.java()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("class data sharing step failed: see " + log);
        }
    }
}
