package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.Escrows;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an admin runs it: `java -jar lockkeeper.jar serve` as a real process, a first
 * start, a restart on the same data directory, and an admin command next to the running server.
 */
class PackagedJarIT {

    static final Pattern TOKEN = Pattern.compile("lke_[A-Za-z0-9_-]{43}");
    static final Duration STARTUP = Duration.ofSeconds(90);
    static final String NODE = "it-node";

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
    void firstStartPrintsItsSecretsOnceAndARestartKeepsTheData() throws Exception {
        Path dataDir = work.resolve("data");
        int port = freePort();
        ApiClient api = new ApiClient(port);

        // First start: bootstrap.
        Path firstLog = work.resolve("first.log");
        Process first = serve(dataDir, port, firstLog);
        awaitHealthy(first, port, firstLog);
        String firstOut = Files.readString(firstLog);

        assertThat(firstOut).contains("first start: created the database master key");
        Path passwordFile = dataDir.resolve("dmk-password.txt");
        assertThat(firstOut).contains("the DMK password was written to " + passwordFile);
        assertThat(passwordFile).exists();
        assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String dmkPassword = Files.readAllLines(passwordFile).get(0).strip();
        assertThat(dmkPassword).hasSizeGreaterThanOrEqualTo(20);
        assertThat(firstOut).doesNotContain(dmkPassword);

        List<String> tokenLines = firstOut.lines().filter(line -> line.contains("lke_")).toList();
        assertThat(tokenLines).hasSize(1);
        String token = tokenLines.get(0).strip();
        assertThat(token).matches(TOKEN.pattern());

        String oneTimePassword = lineAfter(firstOut, "created user 'admin' with the one-time password").strip();
        assertThat(oneTimePassword).matches("[A-Za-z2-9]{20}");

        Map<String, Object> escrow = Escrows.body("DESKTOP-IT1.corp.example.com", Escrows.newPassword());
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(escrow)).status()).isEqualTo(201);

        stop(first);

        // Restart on the same data directory: nothing secret is printed again, the data is there.
        Path secondLog = work.resolve("second.log");
        Process second = serve(dataDir, port, secondLog);
        awaitHealthy(second, port, secondLog);
        String secondOut = Files.readString(secondLog);

        assertThat(secondOut).contains("this node is open");
        assertThat(secondOut).doesNotContain("lke_").doesNotContain(token.substring(4))
                .doesNotContain(oneTimePassword).doesNotContain("one-time password")
                .doesNotContain(dmkPassword).doesNotContain("first start");
        assertThat(api.post("/api/v1/escrow", token, Escrows.json(escrow)).status()).as("the earlier escrow is stored")
                .isEqualTo(200);

        // An admin command next to the running server (H2 mixed mode).
        Path cliOut = work.resolve("token-create.out");
        Path cliErr = work.resolve("token-create.err");
        Process create = start(cliOut, cliErr, "token", "create", "--name", "x", "--data-dir", dataDir.toString(),
                "--node-name", NODE);
        assertThat(create.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).as("token create finishes").isTrue();
        String createOut = Files.readString(cliOut);
        assertThat(create.exitValue()).as(createOut + Files.readString(cliErr)).isZero();
        List<String> createLines = createOut.strip().lines().toList();
        String newToken = createLines.get(createLines.size() - 1);
        assertThat(newToken).matches(TOKEN.pattern());
        assertThat(createOut.split(Pattern.quote(newToken), -1)).as("printed once").hasSize(2);
        assertThat(Files.readString(cliErr)).doesNotContain(newToken);

        Map<String, Object> another = Escrows.body("DESKTOP-IT2.corp.example.com", Escrows.newPassword());
        assertThat(api.post("/api/v1/escrow", newToken, Escrows.json(another)).status()).isEqualTo(201);
        assertThat(second.isAlive()).isTrue();

        stop(second);
        String all = Files.readString(secondLog);
        assertThat(all).doesNotContain(newToken).doesNotContain((String) another.get("recoveryPassword"))
                .doesNotContain((String) escrow.get("recoveryPassword"));
        assertThat(firstOut).doesNotContain((String) escrow.get("recoveryPassword"));
    }

    Process serve(Path dataDir, int port, Path log) throws IOException {
        return start(log, log, "serve", "--data-dir", dataDir.toString(), "--port", Integer.toString(port), "--node-name", NODE);
    }

    Process start(Path out, Path err, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("lockkeeper.jar", "target/lockkeeper.jar"));
        assertThat(jar).as("the packaged jar (run with `mvn verify`)").exists();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        if (out.equals(err)) {
            builder.redirectErrorStream(true).redirectOutput(out.toFile());
        } else {
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        }
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    static void awaitHealthy(Process process, int port, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the server exited with " + process.exitValue() + " before it was healthy:\n" + Files.readString(log));
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail("the server did not answer /healthz within " + STARTUP + ":\n" + Files.readString(log));
    }

    static void stop(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the server did not stop within 60 s of SIGTERM");
        }
    }

    static String lineAfter(String text, String marker) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size() - 1; i++) {
            if (lines.get(i).contains(marker)) {
                return lines.get(i + 1);
            }
        }
        throw new AssertionError("no line with '" + marker + "' in:\n" + text);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
