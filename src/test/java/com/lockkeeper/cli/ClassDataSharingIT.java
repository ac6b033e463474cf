package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.Commands;
import com.lockkeeper.testing.PackagedServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's optional faster start-up, step by step as an admin types it: extract the jar, one
 * training run that writes a class-data-sharing archive, then `serve` with the archive. With
 * -Xshare:on the JVM refuses to start if the archive does not fit, so a healthy server proves it is used.
 */
class ClassDataSharingIT {

    @TempDir
    Path work;

    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killProcesses() throws InterruptedException {
        for (Process process : processes) {
            if (process.isAlive()) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theTrainedArchiveIsUsedByTheExtractedJarAndTheServerStarts() throws Exception {
        Path jar = Path.of(System.getProperty("lockkeeper.jar", "target/lockkeeper.jar")).toAbsolutePath();
        assertThat(jar).as("the packaged jar (run with `mvn verify`)").exists();
        Path app = work.resolve("app");
        Path archive = app.resolve("lockkeeper.jsa");

        run(work.resolve("extract.log"), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", app.toString());
        Path extracted = app.resolve(jar.getFileName());
        assertThat(extracted).exists();
        assertThat(app.resolve("lib")).isDirectory();

        Path training = Files.createDirectories(work.resolve("training-data"));
        run(work.resolve("training.log"), "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
                "-jar", extracted.toString(), "serve", "--data-dir", training.toString(), "--port", "0",
                "--management.server.port=0");
        assertThat(archive).exists();
        assertThat(Files.size(archive)).as("classes of Spring, Tomcat, H2 and Lockkeeper").isGreaterThan(10_000_000);

        Path dataDir = work.resolve("data");
        int port = PackagedServer.freePort();
        Path log = work.resolve("serve.log");
        Process server = start(log, "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-jar", extracted.toString(),
                "serve", "--data-dir", dataDir.toString(), "--port", Integer.toString(port), "--node-name", "cds-node",
                "--management.server.port=0");
        PackagedServer.awaitHealthy(server, port, log);
        assertThat(Files.readString(log)).contains("this node is open");
        server.destroy();
        assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("the server stops on SIGTERM").isTrue();
    }

    private void run(Path log, String... args) throws Exception {
        Process process = start(log, args);
        assertThat(process.waitFor(PackagedServer.STARTUP.toSeconds(), TimeUnit.SECONDS)).as("finishes").isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    }

    private Process start(Path log, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Commands.java()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }
}
