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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OCI image target/lockkeeper-image.tar as a container runtime would run it, without one: the
 * image's manifest, configuration and layers are read from the archive, the layers unpacked in order
 * into a root file system (whiteouts honoured), and the configured entrypoint started in it with
 * {@code chroot} as the configured user, with the configured environment and working directory. The
 * server escrows and reveals a recovery password, the admin commands work inside, the first start's
 * secrets are in the file on the volume and not in the output, and the data on the volume belongs to
 * the image's user alone.
 */
class OciImageIT {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String VOLUME = "/var/lib/lockkeeper";
    static final int UID = 10001;

    @TempDir
    Path work;

    Path archive;

    @BeforeEach
    void onlyWhereTheImageWasBuilt() {
        archive = Path.of(System.getProperty("lockkeeper.image", "target/lockkeeper-image.tar")).toAbsolutePath();
        assumeTrue(Files.exists(archive), "no " + archive + ": the OCI image is built by `mvn package` as root where"
                + " debootstrap is installed (as on CI), or by `mvn -Pimage package` as root; src/image/make-base-image makes its base");
    }

    @Test
    void runsAsANonRootUserWithItsDataOnTheVolumeConfiguredByEnvironmentVariables() throws Exception {
        Image image = Image.read(archive, work.resolve("archive"));
        JsonNode config = image.config().path("config");

        assertThat(config.path("User").asString()).isEqualTo(UID + ":" + UID);
        assertThat(config.path("Volumes").has(VOLUME)).as("volumes: %s", config.path("Volumes")).isTrue();
        assertThat(config.path("ExposedPorts").has("8080/tcp")).as("ports: %s", config.path("ExposedPorts")).isTrue();
        assertThat(config.path("WorkingDir").asString()).isEqualTo(VOLUME);
        assertThat(environment(config)).containsEntry("LOCKKEEPER_DATA_DIR", VOLUME + "/data")
                .containsEntry("LOCKKEEPER_FIRST_START_SECRETS", VOLUME + "/data/first-start.txt")
                .containsEntry("SERVER_ADDRESS", "0.0.0.0")
                .containsEntry("SERVER_PORT", "8080")
                .containsEntry("HOME", VOLUME)
                .containsKey("PATH");
        assertThat(strings(config.path("Entrypoint"))).first().isEqualTo("java");
        assertThat(strings(config.path("Entrypoint"))).contains("com.lockkeeper.cli.Lockkeeper");
        assertThat(strings(config.path("Cmd"))).containsExactly("serve");
        assertThat(image.layers()).as("the base's layer and the application's").hasSizeGreaterThan(1);
    }

    @Test
    void theEntrypointServesEscrowsAndRevealsAsUid10001AndKeepsTheSecretsAndDataOnTheVolume() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "not root: unpacking the image with its owners and running it with chroot needs root (CI runs as root)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/chroot")), "chroot (coreutils) is not in /usr/sbin");

        Image image = Image.read(archive, work.resolve("archive"));
        Path root = work.resolve("root");
        image.unpack(root);
        JsonNode config = image.config().path("config");
        assertThat(Files.readString(root.resolve("etc/passwd"))).as("the image's /etc/passwd")
                .contains("lockkeeper:x:" + UID + ":" + UID + ":");
        assertOwnerAndMode(root.resolve(VOLUME.substring(1)), "rwx------");
        Result setId = Commands.run("find", root.toString(), "-xdev", "-type", "f", "-perm", "/6000");
        assertThat(setId.out()).as("set-user-ID and set-group-ID programs in the image").isEmpty();

        // What a runtime gives a container besides the image: a root that is a mount point (the JVM looks
        // the file store of a path up in /proc/self/mounts), /dev's usual devices, and /proc.
        Result bind = Commands.run("mount", "--bind", root.toString(), root.toString());
        assumeTrue(bind.exit() == 0, "mounts are not allowed here (the image's root and /proc are mounted): " + bind.all());
        for (String[] device : List.of(new String[] {"null", "3"}, new String[] {"zero", "5"}, new String[] {"random", "8"},
                new String[] {"urandom", "9"})) {
            Commands.run("mknod", "-m", "666", root.resolve("dev").resolve(device[0]).toString(), "c", "1", device[1]);
        }
        Path proc = root.resolve("proc");
        Files.createDirectories(proc);
        Result mount = Commands.run("mount", "-t", "proc", "proc", proc.toString());
        if (mount.exit() != 0) {
            Commands.run("umount", "-l", root.toString());
        }
        assumeTrue(mount.exit() == 0, "/proc cannot be mounted here (the Java runtime needs it): " + mount.all());

        Process server = null;
        try {
            int port = PackagedServer.freePort();
            Map<String, String> environment = environment(config);
            environment.put("SERVER_PORT", Integer.toString(port));
            environment.put("MANAGEMENT_SERVER_PORT", Integer.toString(PackagedServer.freePort()));
            environment.put("LOCKKEEPER_NODE_NAME", "image-test");
            List<String> command = new ArrayList<>(strings(config.path("Entrypoint")));
            command.addAll(strings(config.path("Cmd")));
            Path log = work.resolve("serve.log");
            server = inContainer(root, config, environment, command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PackagedServer.awaitHealthy(server, port, log);

            // The first start's secrets: in the file on the volume, readable by the image's user alone, not in the output.
            Path data = root.resolve(VOLUME.substring(1)).resolve("data");
            Path secrets = data.resolve("first-start.txt");
            assertOwnerAndMode(secrets, "rw-------");
            List<String> secretLines = Files.readAllLines(secrets).stream().filter(line -> line.startsWith("    "))
                    .map(String::strip).toList();
            assertThat(secretLines).as("the admin's one-time password and the enrollment token").hasSize(2);
            String output = Files.readString(log);
            assertThat(output).contains("was written to " + VOLUME + "/data/first-start.txt");
            for (String secret : secretLines) {
                assertThat(output).as("the server's output").doesNotContain(secret);
            }

            // The admin commands as `podman exec` runs them: the image's command, user, environment and working directory.
            String device = lastLine(lockkeeper(root, config, environment, "token", "create", "--name", "site-image"));
            Map<String, String> withPassword = new LinkedHashMap<>(environment);
            withPassword.put("STAFF_PASSWORD", "a long staff password 4 tests");
            lockkeeper(root, config, withPassword, "user", "add", "image-staff", "--role", "ADVANCED_HELPDESK",
                    "--password-env", "STAFF_PASSWORD");
            String staff = lastLine(lockkeeper(root, config, environment, "token", "create", "--user", "image-staff"));

            ApiClient api = new ApiClient(port);
            Escrows.escrowAndReveal(api, device, staff, "IMAGE-1.corp.example.com", "OCI image test");

            stop(server);
            server = null;

            // Everything on the volume belongs to the image's user, and no one else may read it.
            assertOwnerAndMode(data, "rwx------");
            assertThat(data.resolve("node.key")).exists();
            try (Stream<Path> files = Files.walk(data)) {
                for (Path file : files.toList()) {
                    assertThat(Files.getAttribute(file, "unix:uid")).as("owner of %s", file).isEqualTo(UID);
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
                    assertThat(mode).as("mode of %s", file).endsWith("---" + "---");
                }
            }
        } finally {
            if (server != null) {
                stop(server);
            }
            Commands.run("umount", "-l", proc.toString());
            Commands.run("umount", "-l", root.toString());
            // Not left to @TempDir, which warns about each of the image's absolute symbolic links.
            Commands.run("rm", "-rf", "--one-file-system", root.toString());
        }
    }

    /** The image in an archive: its configuration and its layers, lowest first, from an OCI layout or a `docker save` archive. */
    record Image(JsonNode config, List<Path> layers) {

        static Image read(Path archive, Path into) throws Exception {
            Files.createDirectories(into);
            Result untar = Commands.run("tar", "-xf", archive.toString(), "-C", into.toString());
            assertThat(untar.exit()).as("tar -xf %s: %s", archive, untar.all()).isZero();
            List<Path> layers = new ArrayList<>();
            if (Files.exists(into.resolve("index.json"))) {
                JsonNode index = JSON.readTree(into.resolve("index.json").toFile());
                assertThat(index.path("manifests").size()).as("manifests in index.json").isEqualTo(1);
                JsonNode manifest = JSON.readTree(blob(into, index.path("manifests").get(0)).toFile());
                for (JsonNode layer : manifest.path("layers")) {
                    layers.add(blob(into, layer));
                }
                return new Image(JSON.readTree(blob(into, manifest.path("config")).toFile()), layers);
            }
            JsonNode manifest = JSON.readTree(into.resolve("manifest.json").toFile()).get(0);
            for (JsonNode layer : manifest.path("Layers")) {
                layers.add(into.resolve(layer.asString()));
            }
            return new Image(JSON.readTree(into.resolve(manifest.path("Config").asString()).toFile()), layers);
        }

        private static Path blob(Path layout, JsonNode descriptor) {
            String[] digest = descriptor.path("digest").asString().split(":", 2);
            Path blob = layout.resolve("blobs").resolve(digest[0]).resolve(digest[1]);
            assertThat(blob).as("blob %s", descriptor).exists();
            return blob;
        }

        /** The layers in order into {@code root}, as an overlay stacks them: a whiteout removes what lower layers had. */
        void unpack(Path root) throws Exception {
            Files.createDirectories(root);
            for (Path layer : layers) {
                Result list = Commands.run("tar", "-tf", layer.toString(), "--warning=no-unknown-keyword");
                assertThat(list.exit()).as("tar -tf %s: %s", layer, list.all()).isZero();
                for (String entry : list.out().lines().toList()) {
                    Path path = Path.of(entry.replaceFirst("^\\./", "").replaceFirst("/$", ""));
                    String name = path.getFileName() == null ? "" : path.getFileName().toString();
                    Path parent = path.getParent() == null ? root : root.resolve(path.getParent().toString());
                    if (name.equals(".wh..wh..opq")) {
                        try (Stream<Path> below = Files.list(parent)) {
                            for (Path hidden : below.toList()) {
                                delete(hidden);
                            }
                        }
                    } else if (name.startsWith(".wh.")) {
                        delete(parent.resolve(name.substring(".wh.".length())));
                    }
                }
                Result extract = Commands.run("tar", "-xf", layer.toString(), "-C", root.toString(), "--numeric-owner",
                        "--same-owner", "--same-permissions", "--exclude=.wh.*", "--warning=no-unknown-keyword");
                assertThat(extract.exit()).as("tar -xf %s: %s", layer, extract.all()).isZero();
            }
        }

        private static void delete(Path path) throws IOException {
            if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            try (Stream<Path> all = Files.walk(path)) {
                for (Path each : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(each);
                }
            }
        }
    }

    /** A command in the unpacked image as a runtime starts it: the configured user and working directory, this environment only. */
    private static ProcessBuilder inContainer(Path root, JsonNode config, Map<String, String> environment, List<String> command) {
        List<String> chroot = new ArrayList<>(List.of("/usr/sbin/chroot", "--userspec=" + config.path("User").asString(),
                root.toString(), "/usr/bin/env", "-C", config.path("WorkingDir").asString()));
        chroot.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(chroot);
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    /** The image's command line ({@code /usr/local/bin/lockkeeper}) beside the running server; fails unless it exits 0. */
    private String lockkeeper(Path root, JsonNode config, Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("lockkeeper"));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile(work, "cmd", ".out");
        Path err = Files.createTempFile(work, "cmd", ".err");
        Process process = inContainer(root, config, environment, command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        if (!process.waitFor(PackagedServer.STARTUP.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("lockkeeper " + String.join(" ", arguments) + " did not finish within " + PackagedServer.STARTUP);
        }
        assertThat(process.exitValue()).as("lockkeeper %s: %s%s", String.join(" ", arguments), Files.readString(out),
                Files.readString(err)).isZero();
        return Files.readString(out);
    }

    private static Map<String, String> environment(JsonNode config) {
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode variable : config.path("Env")) {
            String[] pair = variable.asString().split("=", 2);
            environment.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        return environment;
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asString()));
        return strings;
    }

    private static String lastLine(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    private static void assertOwnerAndMode(Path path, String mode) throws IOException {
        assertThat(Files.getAttribute(path, "unix:uid")).as("owner of %s", path).isEqualTo(UID);
        assertThat(Files.getAttribute(path, "unix:gid")).as("group of %s", path).isEqualTo(UID);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as("mode of %s", path).isEqualTo(mode);
    }

    /** SIGTERM, as a runtime stops a container; chroot and env exec the JVM, so the process is the server itself. */
    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(60, TimeUnit.SECONDS)) {
            server.destroyForcibly();
            fail("the server did not stop within 60 s of SIGTERM");
        }
    }
}
