package com.lockkeeper.bench;

/**
 * What one load run measured: answers per second, latency percentiles, and the CPU each request
 * cost the server process and the load generator (microseconds; on a noisy machine the figure
 * to compare, as it does not depend on who else had the cores).
 */
record LoadResult(String name, int concurrency, long requests, long failed, double seconds, double p50Millis,
        double p99Millis, double p999Millis, double serverCpuMicros, double clientCpuMicros, double serverRunQueueMicros) {

    /** Successful (2xx) answers per second. */
    double throughput() {
        return (requests - failed) / seconds;
    }

    String answers() {
        return failed == 0 ? "all 2xx" : failed + " of " + requests + " not 2xx";
    }

    String line() {
        return String.format("%-24s c=%-3d %8.0f/s  p50 %6.2f ms  p99 %6.2f ms  p999 %7.2f ms  cpu/req server %5.0f µs"
                + " load generator %4.0f µs  server waited for a CPU %5.0f µs/req  %s", name, concurrency, throughput(), p50Millis,
                p99Millis, p999Millis, serverCpuMicros, clientCpuMicros, serverRunQueueMicros, answers());
    }
}
