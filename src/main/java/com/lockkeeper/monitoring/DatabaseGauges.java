package com.lockkeeper.monitoring;

import com.lockkeeper.escrow.Reencryption;
import com.lockkeeper.keys.Barrier;
import com.lockkeeper.streaming.AuditStreaming;
import com.lockkeeper.streaming.SinkLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * The gauges that need the database (node sealed, re-encryption progress, pending rotations,
 * disclosed keys not rotated, audit sink lag), read by {@link #refresh()} on a schedule and kept
 * in memory: a scrape reads only the last values, never the database. While the database is away
 * the last values stay.
 */
final class DatabaseGauges {

    private static final Logger log = LoggerFactory.getLogger(DatabaseGauges.class);

    private final MonitoringRepository repository;
    private final Barrier barrier;
    private final Reencryption reencryption;
    private final AuditStreaming streaming;
    private final Clock clock;
    private final MultiGauge sinkWaiting;
    private final MultiGauge sinkOldest;

    private volatile double sealed = Double.NaN;
    private volatile double reencryptionProgress = Double.NaN;
    private volatile double reencryptionRows = Double.NaN;
    private volatile double pendingRotations = Double.NaN;
    private volatile double disclosed = Double.NaN;
    private volatile double disclosedOldestAge = Double.NaN;

    DatabaseGauges(MeterRegistry registry, MonitoringRepository repository, Barrier barrier, Reencryption reencryption,
            AuditStreaming streaming, Clock clock) {
        this.repository = repository;
        this.barrier = barrier;
        this.reencryption = reencryption;
        this.streaming = streaming;
        this.clock = clock;
        Gauge.builder("lockkeeper.node.sealed", this, g -> g.sealed)
                .description("1 while this node is sealed (it escrows but cannot reveal), 0 while it is open").register(registry);
        Gauge.builder("lockkeeper.reencryption.progress", this, g -> g.reencryptionProgress)
                .description("Fraction of the recovery keys re-encrypted by the current run; 1 when no run is unfinished")
                .baseUnit("ratio").register(registry);
        Gauge.builder("lockkeeper.reencryption.rows.done", this, g -> g.reencryptionRows)
                .description("Recovery keys re-encrypted by the current, unfinished run").register(registry);
        Gauge.builder("lockkeeper.rotations.pending", this, g -> g.pendingRotations)
                .description("Rotations requested of devices and not yet done").register(registry);
        Gauge.builder("lockkeeper.disclosed.keys.not.rotated", this, g -> g.disclosed)
                .description("Recovery passwords disclosed that the device has not replaced yet").register(registry);
        Gauge.builder("lockkeeper.disclosed.keys.oldest.age", this, g -> g.disclosedOldestAge).baseUnit("seconds")
                .description("Age of the oldest disclosed recovery password not replaced yet; 0 when none").register(registry);
        sinkWaiting = MultiGauge.builder("lockkeeper.audit.sink.waiting").baseUnit("records")
                .description("Audit records not yet delivered to the sink").register(registry);
        sinkOldest = MultiGauge.builder("lockkeeper.audit.sink.oldest.waiting.age").baseUnit("seconds")
                .description("Age of the oldest audit record not yet delivered to the sink; 0 when none waits").register(registry);
    }

    /** Reads every gauge from the database once. */
    void refresh() {
        try {
            sealed = barrier.state().open() ? 0 : 1;
            Reencryption.Status status = reencryption.status();
            reencryptionProgress = status.fraction();
            reencryptionRows = status.rowsDone();
            pendingRotations = repository.pendingRotations();
            MonitoringRepository.Disclosed keys = repository.disclosedNotRotated();
            disclosed = keys.count();
            disclosedOldestAge = keys.oldest() == null ? 0 : Math.max(0, Duration.between(keys.oldest(), clock.instant()).toSeconds());
            List<SinkLag> lags = streaming.lag();
            sinkWaiting.register(lags.stream().map(lag -> MultiGauge.Row.of(Tags.of("sink", lag.sink()), lag.waiting())).toList(),
                    true);
            sinkOldest.register(lags.stream().map(lag -> MultiGauge.Row.of(Tags.of("sink", lag.sink()),
                    lag.oldestWaiting().map(Duration::toSeconds).orElse(0L))).toList(), true);
        } catch (DataAccessException | TransactionException databaseAway) {
            log.debug("monitoring gauges not refreshed: the database is away ({})", databaseAway.getClass().getSimpleName());
        }
    }
}
