package com.lockkeeper.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drives the directory the way {@link Wrk} drives the server: closed loop, {@code connections}
 * operations in flight (one thread and one long-lived, bound LDAP connection each), loopback,
 * bounded by time; reported as a {@link LoadResult} with the server's CPU (slapd, from /proc) and
 * the load generator's (the CPU of the load threads) per operation.
 */
final class LdapLoad {

    /** One operation on a connection: true when the directory answered as expected. */
    interface Operation {
        boolean run(LDAPConnection connection, SplittableRandom random) throws LDAPException;
    }

    private final OpenLdapPeer peer;

    LdapLoad(OpenLdapPeer peer) {
        this.peer = peer;
    }

    LoadResult run(String name, int connections, Duration duration, Operation operation) {
        List<LDAPConnection> open = new ArrayList<>();
        try {
            for (int c = 0; c < connections; c++) {
                open.add(peer.connect());
            }
            return measure(name, open, duration, operation);
        } catch (LDAPException e) {
            throw new IllegalStateException("cannot connect to slapd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            open.forEach(LDAPConnection::close);
        }
    }

    private LoadResult measure(String name, List<LDAPConnection> connections, Duration duration, Operation operation)
            throws InterruptedException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int n = connections.size();
        long[][] latencies = new long[n][];
        int[] counts = new int[n];
        AtomicLong failed = new AtomicLong();
        AtomicLong clientCpu = new AtomicLong();
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int worker = t;
            Thread thread = new Thread(() -> {
                LDAPConnection connection = connections.get(worker);
                SplittableRandom random = new SplittableRandom(name.hashCode() * 31L + worker + System.nanoTime());
                long[] mine = new long[1 << 14];
                int count = 0;
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long cpuStart = threads.getCurrentThreadCpuTime();
                long end = window[1];
                long now = System.nanoTime();
                while (now < end) {
                    boolean ok;
                    try {
                        ok = operation.run(connection, random);
                    } catch (LDAPException e) {
                        ok = false;
                    }
                    long done = System.nanoTime();
                    if (!ok) {
                        failed.incrementAndGet();
                    }
                    if (count == mine.length) {
                        mine = Arrays.copyOf(mine, count * 2);
                    }
                    mine[count++] = done - now;
                    now = done;
                }
                clientCpu.addAndGet(threads.getCurrentThreadCpuTime() - cpuStart);
                latencies[worker] = mine;
                counts[worker] = count;
            }, "ldap-load-" + t);
            thread.start();
            workers.add(thread);
        }
        ready.await();
        long serverCpu = peer.cpuNanos();
        window[0] = System.nanoTime();
        window[1] = window[0] + duration.toNanos();
        go.countDown(); // the latch publishes the window to the workers
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        double serverMicros = (peer.cpuNanos() - serverCpu) / 1e3;
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < n; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        long perOperation = Math.max(1, total);
        return new LoadResult(name, n, total, failed.get(), seconds, percentile(all, 0.5), percentile(all, 0.99),
                percentile(all, 0.999), serverMicros / perOperation, clientCpu.get() / 1e3 / perOperation,
                Double.NaN); // the wait for a CPU is read for the Lockkeeper server only
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
