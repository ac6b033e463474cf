package com.lockkeeper.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.Commands;
import com.lockkeeper.testing.Commands.Result;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.PackagedServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package as an administrator uses it: installed with dpkg, the server run as the
 * lockkeeper account with the unit's environment, a device escrowing with a token made by
 * `lockkeeper token create`, a reveal, then `dpkg -r` (data kept) and `dpkg --purge` (data gone).
 * It changes the machine (a package, an account, /var/lib/lockkeeper), so it runs only as root on a
 * dpkg system where Lockkeeper is not installed already, and always purges what it installed.
 */
class DebianPackageIT {

    static final Path DATA = Path.of("/var/lib/lockkeeper");
    static final Path UNIT = Path.of("/lib/systemd/system/lockkeeper.service");

    @TempDir
    Path work;

    Path deb;

    @BeforeEach
    void onlyWhereAPackageMayBeInstalled() throws Exception {
        deb = Path.of(System.getProperty("lockkeeper.deb", "target/lockkeeper.deb")).toAbsolutePath();
        assumeTrue(Files.exists(deb), "no " + deb + ": the Debian package is built by `mvn package`");
        assumeTrue(onPath("dpkg"), "dpkg is not installed: the Debian package is tested on Debian-based machines only");
    }

    @Test
    void installsRunsAsItsOwnAccountEscrowsRevealsAndIsRemovedThenPurged() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "not root: installing the Debian package needs root (CI runs as root)");
        assumeTrue(onPath("runuser"), "runuser (util-linux) is not installed");
        assumeTrue(run("dpkg-query", "-W", "-f=${Status}", "lockkeeper").out().contains("not-installed")
                        || run("dpkg-query", "-W", "-f=${Status}", "lockkeeper").exit() != 0,
                "the lockkeeper package is installed on this machine already; the test installs and purges its own");
        assumeTrue(!Files.isDirectory(Path.of("/run/systemd/system")),
                "systemd runs on this machine: installing would start lockkeeper.service on port 8080 beside the test's server");
        assumeTrue(!Files.exists(DATA), DATA + " exists without the package: the test would purge it");

        Process server = null;
        try {
            Result install = run("dpkg", "-i", deb.toString());
            assertThat(install.exit()).as("dpkg -i: %s", install.all()).isZero();
            assertThat(install.all()).contains("made the class data sharing archive /var/cache/lockkeeper/lockkeeper.jsa");

            assertOwnedAndMode(DATA, "lockkeeper", "lockkeeper", "rwx------");
            assertOwnedAndMode(Path.of("/etc/lockkeeper/lockkeeper.properties"), "root", "lockkeeper", "rw-r-----");
            assertThat(run("dpkg-query", "-W", "-f=${Conffiles}", "lockkeeper").out())
                    .contains("/etc/lockkeeper/lockkeeper.properties", "/etc/default/lockkeeper");
            assertThat(Files.readString(UNIT)).contains("User=lockkeeper", "ProtectSystem=strict",
                    "ReadWritePaths=/var/lib/lockkeeper", "Environment=LOCKKEEPER_FIRST_START_SECRETS=/var/lib/lockkeeper/first-start.txt");
            if (onPath("systemd-analyze")) {
                Result verify = run("systemd-analyze", "verify", UNIT.toString());
                assertThat(verify.exit()).as("systemd-analyze verify: %s", verify.all()).isZero();
            } else {
                System.out.println("systemd-analyze is not installed: the unit is not verified");
            }

            // As the unit runs it: the service account, the unit's environment, the data directory as working directory.
            int port = PackagedServer.freePort();
            Path log = work.resolve("serve.log");
            server = new ProcessBuilder("runuser", "-u", "lockkeeper", "--", "/usr/bin/lockkeeper", "serve", "--port",
                    Integer.toString(port), "--management.server.port=" + PackagedServer.freePort())
                    .directory(DATA.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            awaitReady(server, port, log);

            // The first start's secrets are in the root-only file, not in the output a journal would keep.
            Path secrets = DATA.resolve("first-start.txt");
            assertOwnedAndMode(secrets, "lockkeeper", "lockkeeper", "rw-------");
            List<String> secretLines = Files.readAllLines(secrets).stream().filter(line -> line.startsWith("    "))
                    .map(String::strip).toList();
            assertThat(secretLines).as("the admin's one-time password and the enrollment token").hasSize(2);
            String output = Files.readString(log);
            assertThat(output).contains("was written to " + secrets);
            for (String secret : secretLines) {
                assertThat(output).as("the server's output").doesNotContain(secret);
            }

            // A site's enrollment token and a staff token, made with the installed command as the service account.
            String device = lastLine(lockkeeper(Map.of(), "token", "create", "--name", "site-packaged"));
            lockkeeper(Map.of("STAFF_PASSWORD", "a long staff password 4 tests"), "user", "add", "packaged-staff", "--role",
                    "ADVANCED_HELPDESK", "--password-env", "STAFF_PASSWORD");
            String staff = lastLine(lockkeeper(Map.of(), "token", "create", "--user", "packaged-staff"));

            ApiClient api = new ApiClient(port);
            Escrows.escrowAndReveal(api, device, staff, "PACKAGED-1.corp.example.com", "Debian package test");

            stop(server);
            server = null;
            try (var files = Files.list(DATA)) {
                for (Path file : files.toList()) {
                    assertThat(Files.readAttributes(file, PosixFileAttributes.class).owner().getName())
                            .as("owner of %s", file).isEqualTo("lockkeeper");
                }
            }

            // Removing keeps the data (database, node key, secrets) and the settings; purging deletes them.
            Result remove = run("dpkg", "-r", "lockkeeper");
            assertThat(remove.exit()).as("dpkg -r: %s", remove.all()).isZero();
            assertThat(Path.of("/usr/bin/lockkeeper")).doesNotExist();
            assertThat(DATA.resolve("lockkeeper.mv.db")).exists();
            assertThat(DATA.resolve("node.key")).exists();
            assertThat(Path.of("/etc/lockkeeper/lockkeeper.properties")).exists();

            Result purge = run("dpkg", "--purge", "lockkeeper");
            assertThat(purge.exit()).as("dpkg --purge: %s", purge.all()).isZero();
            assertThat(purge.all()).contains("removing /var/lib/lockkeeper");
            assertThat(DATA).doesNotExist();
            assertThat(Path.of("/etc/lockkeeper")).doesNotExist();
            assertThat(Path.of("/var/cache/lockkeeper")).doesNotExist();
            assertThat(run("getent", "passwd", "lockkeeper").exit()).as("the lockkeeper account after purge").isNotZero();
        } finally {
            if (server != null) {
                stop(server);
            }
            run("dpkg", "--purge", "lockkeeper");
        }
    }

    @Test
    void lintianFindsNothingThatIsNotOverriddenWithAReason() throws Exception {
        assumeTrue(onPath("lintian"), "lintian is not installed (.ci/run installs it with apt)");
        Result lintian = run("lintian", "--fail-on", "error,warning", deb.toString());
        assertThat(lintian.exit()).as("lintian: %s", lintian.all()).isZero();
        assertThat(lintian.out()).as("lintian's findings").doesNotContainPattern("(?m)^[EW]: ");
    }


    /** The installed command, as the service account, with extra environment; fails unless it exits 0. */
    private String lockkeeper(Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", "lockkeeper", "--", "/usr/bin/lockkeeper"));
        command.addAll(List.of(arguments));
        Result result = run(environment, command.toArray(String[]::new));
        assertThat(result.exit()).as("lockkeeper %s: %s", String.join(" ", arguments), result.all()).isZero();
        return result.out();
    }

    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    private Result run(String... command) throws Exception {
        return run(Map.of(), command);
    }

    private Result run(Map<String, String> environment, String... command) throws Exception {
        return Commands.run(work, environment, command);
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", program)) || Files.isExecutable(Path.of("/sbin", program));
    }

    private static void assertOwnedAndMode(Path path, String owner, String group, String mode) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
        assertThat(attributes.owner().getName()).as("owner of %s", path).isEqualTo(owner);
        assertThat(attributes.group().getName()).as("group of %s", path).isEqualTo(group);
        assertThat(PosixFilePermissions.toString(attributes.permissions())).as("mode of %s", path).isEqualTo(mode);
    }

    /** SIGTERM to runuser and the JVM under it, as systemd stops the unit. */
    private static void stop(Process server) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(server.descendants().toList());
        all.add(server.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle process : all) {
            try {
                process.onExit().get(60, TimeUnit.SECONDS);
            } catch (Exception notYet) {
                process.destroyForcibly();
            }
        }
    }

    private static void awaitReady(Process process, int port, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + PackagedServer.STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the installed server exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail("the installed server was not ready within " + PackagedServer.STARTUP + ":\n" + Files.readString(log));
    }
}
