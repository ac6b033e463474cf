package com.lockkeeper.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * A closed-loop HTTP load generator on the JDK's HttpClient: {@code concurrency} threads each send
 * one request, wait for the answer, and send the next, until the request budget or the time is
 * spent. Loopback only; every request is counted by status and its latency kept for percentiles.
 */
final class LoadGenerator {

    /**
     * What one run measured. Latencies in nanoseconds, sorted. CPU per request (server process and
     * this load generator, in microseconds) is what each request costs whatever else runs on the
     * machine: on a noisy machine it is the figure to compare.
     */
    record Result(String name, int concurrency, long requests, double seconds, Map<Integer, Long> statuses,
            long[] latencies, double serverCpuMicros, double clientCpuMicros) {

        double throughput() {
            return ok() / seconds;
        }

        long ok() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 200 && e.getKey() < 300)
                    .mapToLong(Map.Entry::getValue).sum();
        }

        double percentileMillis(double q) {
            if (latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1);
            return latencies[Math.max(0, index)] / 1_000_000.0;
        }

        String line() {
            return String.format("%-28s c=%-3d %9.0f/s  p50 %6.2f ms  p99 %6.2f ms  p999 %7.2f ms  cpu/req server %4.0f µs"
                    + " client %4.0f µs  %s", name, concurrency, throughput(), percentileMillis(0.50), percentileMillis(0.99),
                    percentileMillis(0.999), serverCpuMicros, clientCpuMicros, statuses);
        }
    }

    private final ServerProcess server;
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    LoadGenerator(ServerProcess server) {
        this.server = server;
    }

    /**
     * Runs {@code concurrency} senders. {@code requests} builds the n-th request of the run (n counts
     * from 0 over all threads, so each request can be unique).
     */
    Result run(String name, int concurrency, Duration duration, long maxRequests, LongFunction<HttpRequest> requests) {
        AtomicLong next = new AtomicLong();
        long deadline = System.nanoTime() + duration.toNanos();
        List<Sender> senders = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            senders.add(new Sender(next, maxRequests, deadline, requests));
        }
        long serverCpu = server.cpuNanos();
        long clientCpu = ownCpuNanos();
        long start = System.nanoTime();
        List<Thread> threads = senders.stream().map(s -> new Thread(s, "load-" + name)).toList();
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double serverMicros = (server.cpuNanos() - serverCpu) / 1e3;
        double clientMicros = (ownCpuNanos() - clientCpu) / 1e3;
        Map<Integer, Long> statuses = new TreeMap<>();
        int total = senders.stream().mapToInt(s -> s.count).sum();
        long[] latencies = new long[total];
        int at = 0;
        for (Sender sender : senders) {
            System.arraycopy(sender.latencies, 0, latencies, at, sender.count);
            at += sender.count;
            sender.statuses.forEach((status, n) -> statuses.merge(status, n, Long::sum));
        }
        Arrays.sort(latencies);
        return new Result(name, concurrency, total, seconds, statuses, latencies, serverMicros / Math.max(1, total),
                clientMicros / Math.max(1, total));
    }

    private static long ownCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private final class Sender implements Runnable {
        private final AtomicLong next;
        private final long maxRequests;
        private final long deadline;
        private final LongFunction<HttpRequest> requests;
        private final Map<Integer, Long> statuses = new TreeMap<>();
        private long[] latencies = new long[1 << 14];
        private int count;

        Sender(AtomicLong next, long maxRequests, long deadline, LongFunction<HttpRequest> requests) {
            this.next = next;
            this.maxRequests = maxRequests;
            this.deadline = deadline;
            this.requests = requests;
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline) {
                long n = next.getAndIncrement();
                if (n >= maxRequests) {
                    return;
                }
                HttpRequest request = requests.apply(n);
                long sent = System.nanoTime();
                int status;
                try {
                    status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    status = -1;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                record(System.nanoTime() - sent, status);
            }
        }

        private void record(long nanos, int status) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
            statuses.merge(status, 1L, Long::sum);
        }
    }
}
