package com.lockkeeper.monitoring;

import com.lockkeeper.keys.Barrier;
import com.lockkeeper.keys.NodeState;
import com.lockkeeper.streaming.AuditStreaming;
import com.lockkeeper.streaming.SinkLag;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/** The health contributors of the readiness group besides the database's own. */
final class MonitoringHealth {

    private MonitoringHealth() {
    }

    /**
     * This node's key state as a detail. Always up: a sealed node still escrows (it needs only the
     * datakey's public half), so it stays ready; it only cannot reveal, which the detail tells.
     */
    static HealthIndicator node(Barrier barrier) {
        return () -> {
            try {
                NodeState state = barrier.state();
                return Health.up().withDetail("node", barrier.nodeName()).withDetail("keys", state.label())
                        .withDetail("reveals", state.open() ? "available" : "unavailable: " + state.reason()).build();
            } catch (DataAccessException | TransactionException databaseAway) {
                return Health.up().withDetail("node", barrier.nodeName()).withDetail("keys", "unknown").build();
            }
        };
    }

    /** Down when a sink's oldest undelivered audit record is older than {@code maxLag}. */
    static HealthIndicator auditSinks(AuditStreaming streaming, Duration maxLag) {
        return () -> {
            if (!streaming.enabled()) {
                return Health.up().withDetail("sinks", "none configured").build();
            }
            try {
                boolean behind = false;
                Map<String, Object> sinks = new LinkedHashMap<>();
                for (SinkLag lag : streaming.lag()) {
                    long age = lag.oldestWaiting().map(Duration::toSeconds).orElse(0L);
                    boolean late = lag.oldestWaiting().map(waiting -> waiting.compareTo(maxLag) > 0).orElse(false);
                    behind |= late;
                    Map<String, Object> detail = new LinkedHashMap<>();
                    detail.put("waiting", lag.waiting());
                    detail.put("oldestWaitingSeconds", age);
                    detail.put("status", late ? "lagging" : "up");
                    lag.lastError().ifPresent(error -> detail.put("lastError", error));
                    sinks.put(lag.sink(), detail);
                }
                return (behind ? Health.down() : Health.up()).withDetail("maxLagSeconds", maxLag.toSeconds())
                        .withDetail("sinks", sinks).build();
            } catch (DataAccessException | TransactionException databaseAway) {
                return Health.unknown().withDetail("sinks", "the database is away").build();
            }
        };
    }
}
