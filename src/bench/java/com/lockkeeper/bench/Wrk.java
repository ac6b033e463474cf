package com.lockkeeper.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives the server with wrk (C, epoll, one thread) and a Lua script from bench/lua: closed loop,
 * {@code connections} requests in flight, loopback only, bounded by time. A load generator in Java
 * (the JDK's HttpClient) cost 400-1,300 µs of CPU per request on this machine, as much as the
 * server itself, on the same two cores; wrk costs a small fraction of that.
 */
final class Wrk {

    private static final Pattern SUMMARY = Pattern.compile(
            "LK requests=(\\d+) duration=(\\d+) non2xx=(\\d+) socket_errors=(\\d+) p50=(\\d+) p99=(\\d+) p999=(\\d+)");
    private static final Pattern CHILD_CPU = Pattern.compile("LKCPU (\\d+) (\\d+)");
    private static final double MICROS_PER_TICK = 10_000; // USER_HZ = 100

    private final ServerProcess server;

    Wrk(ServerProcess server) {
        this.server = server;
    }

    /**
     * Runs {@code bench/lua/<script>} against the server. {@code environment} carries the token and
     * the script's other inputs: secrets never go on a command line.
     */
    LoadResult run(String name, int connections, Duration duration, String script, Map<String, String> environment) {
        // The shell reports the CPU its waited-for child used (cutime, cstime of /proc/self/stat).
        List<String> command = new ArrayList<>(List.of("sh", "-c",
                "wrk \"$@\" && echo LKCPU $(cut -d' ' -f16,17 /proc/$$/stat)", "wrk",
                "-t1", "-c" + connections, "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "30s",
                "-s", Path.of("bench", "lua", script).toString(), server.base()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        long serverCpu = server.cpuNanos();
        String output;
        long runQueue;
        try {
            runQueue = server.runQueueNanos();
            Process process = builder.start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("wrk failed:\n" + output);
            }
            runQueue = server.runQueueNanos() - runQueue;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run wrk (bench/run installs it with apt-get): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        double serverMicros = (server.cpuNanos() - serverCpu) / 1e3;
        Matcher summary = SUMMARY.matcher(output);
        Matcher cpu = CHILD_CPU.matcher(output);
        if (!summary.find() || !cpu.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + output);
        }
        long requests = Long.parseLong(summary.group(1));
        double seconds = Long.parseLong(summary.group(2)) / 1e6;
        long failed = Long.parseLong(summary.group(3)) + Long.parseLong(summary.group(4));
        double clientMicros = (Long.parseLong(cpu.group(1)) + Long.parseLong(cpu.group(2))) * MICROS_PER_TICK;
        long perRequest = Math.max(1, requests);
        return new LoadResult(name, connections, requests, failed, seconds, micros(summary.group(5)), micros(summary.group(6)),
                micros(summary.group(7)), serverMicros / perRequest, clientMicros / perRequest, runQueue / 1e3 / perRequest);
    }

    private static double micros(String value) {
        return Long.parseLong(value) / 1000.0;
    }
}
