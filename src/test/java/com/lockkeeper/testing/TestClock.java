package com.lockkeeper.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock moved on by as much as a test says: a test waits out a time window by
 * {@link #advance advancing} this clock instead of sleeping through it. Time still passes as
 * usual in between, so whatever the server stamps stays in order.
 */
public final class TestClock extends Clock {

    private final Clock system;
    private final AtomicReference<Duration> offset;

    public TestClock() {
        this(Clock.systemUTC(), new AtomicReference<>(Duration.ZERO));
    }

    private TestClock(Clock system, AtomicReference<Duration> offset) {
        this.system = system;
        this.offset = offset;
    }

    /** Moves this clock (and every clock {@link #withZone derived} from it) on by {@code duration}. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock only moves on: " + duration);
        }
        offset.accumulateAndGet(duration, Duration::plus);
    }

    @Override
    public Instant instant() {
        return system.instant().plus(offset.get());
    }

    @Override
    public ZoneId getZone() {
        return system.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new TestClock(system.withZone(zone), offset);
    }
}
