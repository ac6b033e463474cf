package com.lockkeeper.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar as an admin runs it ({@code java -jar lockkeeper.jar serve}), as a real
 * process on a data directory, with the admin commands beside it. Tests that use it run with
 * {@code mvn verify}, which builds the jar first.
 */
public final class PackagedServer implements AutoCloseable {

    public static final Duration STARTUP = Duration.ofSeconds(90);
    static final Pattern ENROLLMENT_TOKEN = Pattern.compile("lke_[A-Za-z0-9_-]{43}");
    private static final String START_MARKER = "\n--- start ---\n";

    private final Path work;
    private final List<String> dataArguments;
    private final int port;
    private final Path log;
    private Process process;

    private PackagedServer(Path work, List<String> dataArguments, int port, Path log) {
        this.work = work;
        this.dataArguments = dataArguments;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts {@code serve} on the data directory and database the arguments name (the CLI's
     * {@code --data-dir}, {@code --db-url}, … options) and waits until it is healthy.
     */
    public static PackagedServer serve(Path work, String name, List<String> dataArguments) throws Exception {
        PackagedServer server = new PackagedServer(work, dataArguments, freePort(), work.resolve(name + ".log"));
        server.start();
        return server;
    }

    /** The CLI options for a node on {@code dataDir} and a database given as Spring arguments (as {@link TestDatabase} gives them). */
    public static List<String> dataArguments(Path dataDir, String nodeName, String... springDatabaseArguments) {
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--node-name", nodeName));
        for (String spring : springDatabaseArguments) {
            String[] pair = spring.replaceFirst("^--lockkeeper\\.db\\.", "").split("=", 2);
            args.add("--db-" + pair[0]);
            args.add(pair[1]);
        }
        return args;
    }

    /** Starts the server again on the same data and port (after {@link #kill()} or {@link #stop()}), and waits until healthy. */
    public void start() throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--port", Integer.toString(port), "--management.server.port=0"));
        args.addAll(dataArguments);
        Files.writeString(log, START_MARKER, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        process = java(work, log, log, args).start();
        awaitHealthy();
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash or the OOM killer. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed server is gone").isTrue();
    }

    /** SIGTERM and wait, as a service manager stops it. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("the server did not stop within 60 s of SIGTERM");
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    public int port() {
        return port;
    }

    public ApiClient api() {
        return new ApiClient(port);
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** What the server printed since it was last started. */
    public String outputOfThisStart() throws IOException {
        String all = output();
        return all.substring(all.lastIndexOf(START_MARKER) + START_MARKER.length());
    }

    /** The device enrollment token the first start printed. */
    public String enrollmentToken() throws IOException {
        Matcher token = ENROLLMENT_TOKEN.matcher(output());
        assertThat(token.find()).as("the first start printed an enrollment token").isTrue();
        return token.group();
    }

    /** What an admin command printed. */
    public record CommandOutput(String out, String err) {
    }

    /** An admin command on this server's data directory and database, while it runs; fails the test unless it exits 0. */
    public String admin(String... command) throws Exception {
        return adminWithErrors(command).out();
    }

    /** As {@link #admin}, with what the command wrote to standard error too. */
    public CommandOutput adminWithErrors(String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(dataArguments);
        Path out = Files.createTempFile(work, "cli", ".out");
        Path err = Files.createTempFile(work, "cli", ".err");
        Process cli = java(work, out, err, args).start();
        assertThat(cli.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).as("`%s` finishes", String.join(" ", command)).isTrue();
        assertThat(cli.exitValue()).as("`%s`: %s%s", String.join(" ", command), Files.readString(out), Files.readString(err))
                .isZero();
        return new CommandOutput(Files.readString(out), Files.readString(err));
    }

    /** What a command printed, and its exit code. */
    public record Exit(int code, String out, String err) {
    }

    /** A command of the packaged jar with no server of its own ({@code restore}, or an admin command on a stopped node). */
    public static Exit command(Path work, String... command) throws Exception {
        Path out = Files.createTempFile(work, "cli", ".out");
        Path err = Files.createTempFile(work, "cli", ".err");
        Process cli = java(work, out, err, List.of(command)).start();
        if (!cli.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
            cli.destroyForcibly();
            fail("`" + String.join(" ", command) + "` did not finish within " + STARTUP);
        }
        return new Exit(cli.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static ProcessBuilder java(Path work, Path out, Path err, List<String> args) {
        Path jar = Path.of(System.getProperty("lockkeeper.jar", "target/lockkeeper.jar"));
        assertThat(jar).as("the packaged jar (run with `mvn verify`)").exists();
        List<String> command = new ArrayList<>(List.of(Commands.java(),
                "-jar", jar.toAbsolutePath().toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        if (out.equals(err)) {
            return builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()));
        }
        return builder.redirectOutput(out.toFile()).redirectError(err.toFile());
    }

    private void awaitHealthy() throws Exception {
        awaitHealthy(process, port, log);
    }

    /** Waits until a server process answers {@code /healthz}; fails with its log if it exits or takes too long. */
    public static void awaitHealthy(Process process, int port, Path log) throws Exception {
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

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
