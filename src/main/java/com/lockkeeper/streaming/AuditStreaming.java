package com.lockkeeper.streaming;

import com.lockkeeper.audit.AuditFeed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.springframework.context.SmartLifecycle;

/**
 * Audit streaming: one thread per configured sink on each server node, each shipping while its
 * node holds the sink's lease (so any node may ship, one at a time, and another takes over when a
 * node stops or fails). A commit of audit records on this node wakes the threads, so records go
 * out as they are committed; records of other nodes are picked up at each sink's interval.
 * {@link #lag()} tells how far behind each sink is, for status pages and metrics.
 */
public final class AuditStreaming implements SmartLifecycle {

    /** After a failure the next attempt waits this long at first, doubling up to {@link #MAX_BACKOFF}. */
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** At most one round per this long, however many commits wake the thread. */
    private static final Duration MIN_ROUND_GAP = Duration.ofMillis(50);

    private final List<SinkShipper> shippers;
    private final SinkRepository repository;
    private final AuditFeed feed;
    private final Clock clock;
    private final boolean server;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    AuditStreaming(List<SinkShipper> shippers, SinkRepository repository, AuditFeed feed, Clock clock, boolean server) {
        this.shippers = List.copyOf(shippers);
        this.repository = repository;
        this.feed = feed;
        this.clock = clock;
        this.server = server;
    }

    public boolean enabled() {
        return !shippers.isEmpty();
    }

    /** Every sink's lag, read from the database. */
    public List<SinkLag> lag() {
        if (shippers.isEmpty()) {
            return List.of();
        }
        Map<String, Long> heads = feed.heads();
        Instant now = clock.instant();
        List<SinkLag> lags = new ArrayList<>();
        for (SinkShipper shipper : shippers) {
            Map<String, Long> cursors = repository.cursors(shipper.name());
            long waiting = 0;
            Instant oldest = null;
            for (Map.Entry<String, Long> lane : heads.entrySet()) {
                long cursor = cursors.getOrDefault(lane.getKey(), 0L);
                if (lane.getValue() > cursor) {
                    waiting += lane.getValue() - cursor;
                    Optional<Instant> at = feed.at(lane.getKey(), cursor + 1);
                    if (at.isPresent() && (oldest == null || at.get().isBefore(oldest))) {
                        oldest = at.get();
                    }
                }
            }
            Optional<SinkRepository.SinkRow> row = repository.row(shipper.name());
            Optional<Instant> delivered = row.map(SinkRepository.SinkRow::lastDeliveryAt);
            Optional<SinkRepository.SinkRow> failedLast = row.filter(r -> r.lastErrorAt() != null
                    && (r.lastDeliveryAt() == null || r.lastErrorAt().isAfter(r.lastDeliveryAt())));
            Instant since = oldest;
            lags.add(new SinkLag(shipper.name(), shipper.settings().target(), waiting,
                    Optional.ofNullable(since).map(at -> at.isAfter(now) ? Duration.ZERO : Duration.between(at, now)),
                    delivered, failedLast.map(SinkRepository.SinkRow::lastError), failedLast.map(SinkRepository.SinkRow::lastErrorAt),
                    row.filter(r -> r.leaseOwner() != null && r.leaseUntil() != null && r.leaseUntil().isAfter(now))
                            .map(SinkRepository.SinkRow::leaseOwner)));
        }
        return lags;
    }

    /** Wakes every sink's thread: records were committed on this node. */
    void wake() {
        for (Thread thread : threads) {
            LockSupport.unpark(thread);
        }
    }

    /** An anchor of one of this node's lanes, for every sink. */
    void anchor(StreamedMessage anchor) {
        shippers.forEach(shipper -> shipper.anchor(anchor));
        wake();
    }

    @Override
    public synchronized void start() {
        if (running || !server || shippers.isEmpty()) {
            return;
        }
        running = true;
        for (SinkShipper shipper : shippers) {
            Thread thread = new Thread(() -> ship(shipper), "audit-sink-" + shipper.name());
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void ship(SinkShipper shipper) {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            SinkShipper.Round round = shipper.round(() -> !running);
            Duration wait;
            if (round == SinkShipper.Round.FAILED) {
                wait = backoff;
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } else {
                backoff = FIRST_BACKOFF;
                wait = round == SinkShipper.Round.MORE ? Duration.ZERO : shipper.interval();
            }
            if (!running) {
                break;
            }
            LockSupport.parkNanos(MIN_ROUND_GAP.toNanos());
            if (round != SinkShipper.Round.FAILED && !wait.isZero()) {
                LockSupport.parkNanos(wait.toNanos()); // a commit on this node ends the wait at once
            } else if (!wait.isZero()) {
                sleep(wait); // a receiver that is down is not asked again at each commit
            }
        }
        shipper.stop();
    }

    private void sleep(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        while (running && System.nanoTime() < until) {
            LockSupport.parkNanos(Math.min(until - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(200)));
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        wake();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the database goes (and starts after it is there). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1000;
    }
}
