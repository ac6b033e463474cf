package com.lockkeeper.escrow;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Escrow counters ({@code lockkeeper_escrows_total} by outcome and channel) and the time of the
 * last stored escrow ({@code lockkeeper_last_escrow_timestamp_seconds}, 0 until this node stored
 * one). Counters only: nothing here touches the database.
 */
final class EscrowMetrics {

    static final String ESCROWS = "lockkeeper.escrows";
    static final String LAST_ESCROW = "lockkeeper.last.escrow.timestamp.seconds";

    private final Map<EscrowOutcome, Counter> api = new EnumMap<>(EscrowOutcome.class);
    private final Counter importStored;
    private final Counter importAlreadyStored;
    private final Counter importConflict;
    private final AtomicLong lastStored = new AtomicLong();
    private final Clock clock;

    EscrowMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        for (EscrowOutcome outcome : EscrowOutcome.values()) {
            api.put(outcome, counter(registry, label(outcome), "api"));
        }
        importStored = counter(registry, "stored", "import");
        importAlreadyStored = counter(registry, "already-stored", "import");
        importConflict = counter(registry, "conflict", "import");
        registry.gauge(LAST_ESCROW, lastStored, AtomicLong::doubleValue);
    }

    /** The outcome as the metric names it: a replacement stores the device's password, so it counts as stored. */
    static String label(EscrowOutcome outcome) {
        return switch (outcome) {
            case CREATED, REPLACED -> "stored";
            case ALREADY_STORED -> "already-stored";
            case CONFLICT -> "conflict";
            case VOLUME_OF_ANOTHER_COMPUTER -> "refused";
        };
    }

    void escrowed(EscrowOutcome outcome) {
        api.get(outcome).increment();
        if (outcome == EscrowOutcome.CREATED || outcome == EscrowOutcome.REPLACED) {
            lastStored.set(clock.instant().getEpochSecond());
        }
    }

    void imported(EscrowImport.Summary summary) {
        importStored.increment(summary.stored());
        importAlreadyStored.increment(summary.alreadyStored());
        importConflict.increment(summary.conflicts());
        if (summary.stored() > 0) {
            lastStored.set(clock.instant().getEpochSecond());
        }
    }

    private static Counter counter(MeterRegistry registry, String outcome, String channel) {
        return Counter.builder(ESCROWS).description("Escrows received, by outcome and channel")
                .tag("outcome", outcome).tag("channel", channel).register(registry);
    }
}
