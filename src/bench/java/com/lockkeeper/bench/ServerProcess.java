package com.lockkeeper.bench;

import com.lockkeeper.testing.Commands;
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

/** The packaged server as an admin runs it ({@code java -jar lockkeeper.jar serve}), for load runs. */
final class ServerProcess implements AutoCloseable {

    private static final Pattern ENROLLMENT_TOKEN = Pattern.compile("lke_[A-Za-z0-9_-]{43}");

    private final Process process;
    private final Path log;
    private final int port;
    private final Duration startup;

    private ServerProcess(Process process, Path log, int port, Duration startup) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.startup = startup;
    }

    /** Starts {@code serve} and waits until /healthz answers 200; the time that took is {@link #startup()}. */
    static ServerProcess start(Installation installation, List<String> jvmOptions, Path log) throws IOException {
        return start(installation, installation.jar(), jvmOptions, log);
    }

    /** Starts {@code serve} from another copy of the jar (the extracted one, for class data sharing). */
    static ServerProcess start(Installation installation, Path jar, List<String> jvmOptions, Path log) throws IOException {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Commands.java());
        command.addAll(jvmOptions);
        // The monitoring port too is a free one: the configured 9090 may be taken by another server on the machine.
        command.add("-Dmanagement.server.port=" + freePort());
        command.addAll(List.of("-jar", jar.toString(), "serve", "--port", String.valueOf(port)));
        command.addAll(installation.arguments());
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = started + Duration.ofMinutes(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the server exited with " + process.exitValue() + ": see " + log);
            }
            try {
                if (client.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new ServerProcess(process, log, port, Duration.ofNanos(System.nanoTime() - started));
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the server did not become healthy in 10 minutes: see " + log);
    }

    int port() {
        return port;
    }

    String base() {
        return "http://127.0.0.1:" + port;
    }

    Duration startup() {
        return startup;
    }

    /** The enrollment token a first start printed. */
    String enrollmentToken() throws IOException {
        Matcher matcher = ENROLLMENT_TOKEN.matcher(Files.readString(log));
        if (!matcher.find()) {
            throw new IllegalStateException("no enrollment token in " + log + ": was this a first start?");
        }
        return matcher.group();
    }

    /**
     * CPU time the server's JIT compiler threads have used so far, in clock ticks, from /proc. On 2
     * cores C2 needs tens of seconds of load before it stops compiling Spring, Tomcat and H2;
     * a measurement taken earlier measures the compiler.
     */
    long compilerTicks() throws IOException {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("C2 Compiler")) {
                        String[] stat = Files.readString(task.resolve("stat")).replaceFirst("^.*\\) ", "").split(" ");
                        ticks += Long.parseLong(stat[11]) + Long.parseLong(stat[12]); // utime, stime
                    }
                } catch (IOException e) {
                    // the thread ended while we looked
                }
            }
        }
        return ticks;
    }

    /**
     * Time the server's threads have spent runnable but waiting for a CPU so far, in nanoseconds
     * ({@code /proc/<pid>/task/<tid>/schedstat}, second field; threads that ended are not counted).
     * On a machine shared with other work this is the CPU contention a request meets.
     */
    long runQueueNanos() throws IOException {
        long nanos = 0;
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    nanos += Long.parseLong(Files.readString(task.resolve("schedstat")).strip().split(" ")[1]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended while we looked, or the kernel keeps no schedstat
                }
            }
        }
        return nanos;
    }

    /** CPU time the server process has used so far (all threads: requests, JIT, GC), in nanoseconds. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** Resident set size of the server process, from /proc. */
    long residentKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** Java heap in use after a full GC, in MiB, from jcmd (what the server really keeps). */
    long heapUsedAfterGcMib() throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        run(jcmd.toString(), String.valueOf(process.pid()), "GC.run");
        String info = run(jcmd.toString(), String.valueOf(process.pid()), "GC.heap_info");
        Matcher used = Pattern.compile("used (\\d+)K").matcher(info);
        long kib = 0;
        if (used.find()) {
            kib = Long.parseLong(used.group(1));
        }
        return kib / 1024;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
