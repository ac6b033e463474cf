package com.lockkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What the server's request threads waited for while a request was slow: matches the access log
 * that {@code bench/run --access-log} writes (begin, duration, thread) with the JFR recording of
 * the same server run ({@code --profile}, best with thresholds of a few ms for the locking and file
 * events). For each request slower than the threshold, the time of its thread's blocking events
 * (park, monitor, file I/O) and of the garbage collector's pauses inside the request is added up by
 * cause; a request whose time no event explains was runnable (on two shared cores: waiting for a CPU).
 *
 * <pre>java -cp target/test-classes com.lockkeeper.bench.SlowRequests ACCESS_LOG RECORDING.jfr [THRESHOLD_MS] [METHOD_URI_PREFIX]
 *     [LAST_SECONDS]</pre>
 * (LAST_SECONDS: only the requests of the last seconds of those matching, e.g. the measured step after the warm-up)
 */
public final class SlowRequests {

    record Request(long beginNanos, long endNanos, String thread, String uri) {
        long nanos() {
            return endNanos - beginNanos;
        }
    }

    record Interval(long start, long end, String cause, String stack) {
    }

    public static void main(String[] args) throws IOException {
        Path accessLog = Path.of(args[0]);
        Path recording = Path.of(args[1]);
        double thresholdMs = args.length > 2 ? Double.parseDouble(args[2]) : 10;
        String uriPrefix = args.length > 3 ? args[3] : "GET /api/";
        double lastSeconds = args.length > 4 ? Double.parseDouble(args[4]) : 0;

        List<Request> all = new ArrayList<>();
        for (String line : Files.readAllLines(accessLog)) {
            String[] f = line.split(" ");
            if (f.length < 6 || !(f[4] + " " + f[5]).startsWith(uriPrefix)) {
                continue;
            }
            long begin = Long.parseLong(f[0]) * 1_000_000L;
            long micros = Long.parseLong(f[1]);
            all.add(new Request(begin, begin + micros * 1000, f[2], f[5]));
        }
        Map<String, List<Interval>> byThread = new HashMap<>();
        List<Interval> pauses = new ArrayList<>();
        Map<String, Long> samplesByThreadKind = new TreeMap<>();
        Map<String, Long> writerFrames = new HashMap<>();
        Map<String, Long> fileWritesByThread = new TreeMap<>();
        Map<String, List<Long>> samples = new HashMap<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                long start = nanos(e.getStartTime());
                long end = nanos(e.getEndTime());
                first = Math.min(first, start);
                last = Math.max(last, end);
                switch (type) {
                    case "jdk.GCPhasePause" -> pauses.add(new Interval(start, end, "GC pause", ""));
                    case "jdk.ThreadPark", "jdk.JavaMonitorEnter", "jdk.JavaMonitorWait", "jdk.FileWrite", "jdk.FileForce",
                            "jdk.FileRead", "jdk.SocketRead", "jdk.SocketWrite", "jdk.ThreadSleep" -> {
                        String thread = threadName(e, "eventThread");
                        String stack = stack(e.getStackTrace(), 14);
                        byThread.computeIfAbsent(thread, t -> new ArrayList<>())
                                .add(new Interval(start, end, cause(type, stack), stack));
                        if (type.equals("jdk.FileWrite") || type.equals("jdk.FileForce")) {
                            fileWritesByThread.merge(kind(thread) + " " + type, 1L, Long::sum);
                        }
                    }
                    case "jdk.ExecutionSample" -> {
                        String thread = threadName(e, "sampledThread");
                        samplesByThreadKind.merge(kind(thread), 1L, Long::sum);
                        samples.computeIfAbsent(thread, t -> new ArrayList<>()).add(start);
                        if (thread.startsWith("MVStore background writer")) {
                            writerFrames.merge(stack(e.getStackTrace(), 6), 1L, Long::sum);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        if (lastSeconds > 0 && !all.isEmpty()) {
            long lastEnd = all.stream().mapToLong(Request::endNanos).max().getAsLong();
            first = Math.max(first, lastEnd - (long) (lastSeconds * 1e9));
        }
        final long from = first;
        final long to = last;
        List<Request> requests = all.stream().filter(r -> r.beginNanos >= from && r.endNanos <= to).toList();
        List<Request> slow = requests.stream().filter(r -> r.nanos() > thresholdMs * 1e6).toList();
        System.out.printf("requests in the recording: %,d (%s*); slower than %.0f ms: %,d (%.2f %%)%n", requests.size(), uriPrefix,
                thresholdMs, slow.size(), 100.0 * slow.size() / Math.max(1, requests.size()));

        Map<String, Long> dominant = new TreeMap<>();
        Map<String, Long> timeByCause = new TreeMap<>();
        Map<String, Long> stacks = new HashMap<>();
        long slowTotal = 0;
        long sampledInSlow = 0;
        for (Request r : slow) {
            slowTotal += r.nanos();
            Map<String, Long> mine = new HashMap<>();
            for (Interval i : byThread.getOrDefault(r.thread, List.of())) {
                long overlap = overlap(i, r);
                if (overlap > 0) {
                    mine.merge(i.cause, overlap, Long::sum);
                    stacks.merge(i.cause + "\n" + i.stack, overlap, Long::sum);
                }
            }
            long gc = 0;
            for (Interval p : pauses) {
                gc += overlap(p, r);
            }
            if (gc > 0) {
                mine.merge("GC pause", gc, Long::sum);
            }
            for (long t : samples.getOrDefault(r.thread, List.of())) {
                if (t >= r.beginNanos && t <= r.endNanos) {
                    sampledInSlow++;
                }
            }
            mine.forEach((cause, nanos) -> timeByCause.merge(cause, nanos, Long::sum));
            String top = mine.entrySet().stream().max(Map.Entry.comparingByValue())
                    .filter(entry -> entry.getValue() >= 0.3 * r.nanos()).map(Map.Entry::getKey)
                    .orElse("no wait event (runnable: CPU, or waits below the threshold)");
            dominant.merge(top, 1L, Long::sum);
        }
        System.out.printf("slow requests' time: %.0f ms in all; execution samples of their threads inside them: %,d%n",
                slowTotal / 1e6, sampledInSlow);
        System.out.println("\nslow requests by what took ≥ 30 % of their time:");
        long n = Math.max(1, slow.size());
        dominant.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> System.out.printf("  %5.1f %%  %,6d  %s%n", 100.0 * entry.getValue() / n, entry.getValue(), entry.getKey()));
        System.out.println("\nslow requests' time by cause (share of their summed duration):");
        long total = Math.max(1, slowTotal);
        timeByCause.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(entry -> System.out.printf("  %5.1f %%  %,8.1f ms  %s%n", 100.0 * entry.getValue() / total,
                        entry.getValue() / 1e6, entry.getKey()));
        List<Interval> inWindow = pauses.stream().filter(p -> p.start >= from && p.end <= to).toList();
        long[] pauseNanos = inWindow.stream().mapToLong(p -> p.end - p.start).sorted().toArray();
        System.out.printf("%nGC pauses in these %.0f s: %d, %.1f ms in all (%.2f %% of the time), median %.1f ms, longest %.1f ms%n",
                (to - from) / 1e9, pauseNanos.length, LongStream.of(pauseNanos).sum() / 1e6,
                100.0 * LongStream.of(pauseNanos).sum() / (to - from),
                pauseNanos.length == 0 ? 0 : pauseNanos[pauseNanos.length / 2] / 1e6,
                pauseNanos.length == 0 ? 0 : pauseNanos[pauseNanos.length - 1] / 1e6);
        System.out.println("file writes/forces over the threshold, by thread: " + fileWritesByThread);
        System.out.println("execution samples by thread kind: " + samplesByThreadKind);
        System.out.println("\nthe waits inside slow requests, by stack (top 8):");
        stacks.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(entry -> System.out.printf("%.1f ms  %s%n%n", entry.getValue() / 1e6, entry.getKey()));
        System.out.println("what the MVStore background writer ran (execution samples, top 6):");
        writerFrames.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                .forEach(entry -> System.out.printf("%,d  %s%n%n", entry.getValue(), entry.getKey()));
        printPercentiles(requests);
    }

    private static void printPercentiles(List<Request> requests) {
        long[] d = requests.stream().mapToLong(Request::nanos).sorted().toArray();
        if (d.length == 0) {
            return;
        }
        System.out.printf("server-side duration (access log): p50 %.2f ms, p99 %.2f ms, p999 %.2f ms, max %.1f ms%n",
                d[(int) (d.length * 0.50)] / 1e6, d[(int) (d.length * 0.99)] / 1e6, d[Math.min(d.length - 1, (int) (d.length * 0.999))] / 1e6,
                d[d.length - 1] / 1e6);
    }

    private static long overlap(Interval i, Request r) {
        return Math.max(0, Math.min(i.end, r.endNanos) - Math.max(i.start, r.beginNanos));
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    private static String threadName(RecordedEvent e, String field) {
        try {
            jdk.jfr.consumer.RecordedThread thread = e.getValue(field);
            return thread == null ? "?" : thread.getJavaName() == null ? thread.getOSName() : thread.getJavaName();
        } catch (IllegalArgumentException missing) {
            return "?";
        }
    }

    private static String kind(String thread) {
        return thread.replaceAll("-?\\d+", "#");
    }

    private static String cause(String type, String stack) {
        String what = type.substring(4);
        if (stack.contains("org.h2.mvstore.MVStore.") || stack.contains("org.h2.mvstore.FileStore")) {
            return what + " in H2's store (" + firstH2(stack) + ")";
        }
        if (stack.contains("com.zaxxer.hikari")) {
            return what + " for a pooled connection";
        }
        if (stack.contains("org.h2.")) {
            return what + " in H2 (" + firstH2(stack) + ")";
        }
        return what + " elsewhere";
    }

    private static String firstH2(String stack) {
        for (String frame : stack.split("\n")) {
            if (frame.contains("org.h2.") && !frame.contains("java.util.concurrent")) {
                return frame.strip();
            }
        }
        return "?";
    }

    private static String stack(RecordedStackTrace trace, int depth) {
        if (trace == null) {
            return "(no stack)";
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (RecordedFrame frame : trace.getFrames()) {
            if (i++ == depth) {
                break;
            }
            out.append("\n    ").append(frame.getMethod().getType().getName()).append('.').append(frame.getMethod().getName())
                    .append(':').append(frame.getLineNumber());
        }
        return out.toString();
    }
}
