package com.lockkeeper.bench;

import com.lockkeeper.testing.Commands;
import com.lockkeeper.testing.DirectoryFleet;
import com.lockkeeper.testing.TestDomainController;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The domain controller stand-in of {@link DirectoryImportBench} (the tests' UnboundID directory with
 * AD's schema, paged at 1,000 like AD) in a JVM of its own, as a real domain controller is its own
 * machine: its heap (1.5 million entries for a million recovery objects) and its garbage collector are
 * not the importer's. They still share this machine's two cores.
 */
final class DirectoryStandIn implements AutoCloseable {

    private final Process process;
    private final String url;
    private final double fillSeconds;

    private DirectoryStandIn(Process process, String url, double fillSeconds) {
        this.process = process;
        this.url = url;
        this.fillSeconds = fillSeconds;
    }

    /** Starts the stand-in with {@code computers} computers of two recovery objects each, and waits until it is filled. */
    static DirectoryStandIn start(int computers, String heap) throws IOException {
        Process process = new ProcessBuilder(List.of(Commands.java(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), DirectoryStandIn.class.getName(),
                Integer.toString(computers), "2"))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        double filled = Double.parseDouble(expect(out, "filled ", process));
        String url = expect(out, "url ", process);
        System.out.printf(Locale.ROOT, "directory stand-in (pid %d, -Xmx%s): %,d computers, %,d recovery objects in %.0f s, at %s%n",
                process.pid(), heap, computers, computers * 2L, filled, url);
        return new DirectoryStandIn(process, url, filled);
    }

    private static String expect(BufferedReader out, String prefix, Process process) throws IOException {
        String line = out.readLine();
        if (line == null || !line.startsWith(prefix)) {
            process.destroy();
            throw new IllegalStateException("the directory stand-in did not start (it said " + line + ")");
        }
        return line.substring(prefix.length());
    }

    String url() {
        return url;
    }

    double fillSeconds() {
        return fillSeconds;
    }

    /** CPU time the stand-in has used so far (searches answered, its garbage collector). */
    long cpuNanos() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO).toNanos();
    }

    @Override
    public void close() throws IOException {
        process.getOutputStream().close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The stand-in's side: fills the directory, says {@code filled SECONDS} and {@code url ldap://…}, answers until standard input closes. */
    public static void main(String[] args) throws IOException {
        int computers = Integer.parseInt(args[0]);
        DirectoryFleet fleet = new DirectoryFleet(Integer.parseInt(args[1]));
        try (TestDomainController dc = TestDomainController.start()) {
            long start = System.nanoTime();
            for (int from = 0; from < computers; from += 50_000) {
                fleet.populate(dc, from, Math.min(computers, from + 50_000));
                System.err.printf(Locale.ROOT, "  directory: %,d of %,d computers%n", Math.min(computers, from + 50_000), computers);
            }
            System.gc();
            System.out.printf(Locale.ROOT, "filled %.1f%n", (System.nanoTime() - start) / 1e9);
            System.out.println("url " + dc.url());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // answer until the benchmark closes our standard input
            }
        }
    }
}
