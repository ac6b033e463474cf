package com.lockkeeper.monitoring;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.escrow.Reencryption;
import com.lockkeeper.keys.Barrier;
import com.lockkeeper.streaming.AuditStreaming;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Monitoring: the metrics (lockkeeper_*), the health contributors of the readiness group and the
 * info the management port shows. The management port itself is configured in
 * application.properties (management.server.*).
 */
@Configuration(proxyBeanMethods = false)
class MonitoringConfiguration {

    @Bean
    AuditMetrics auditMetrics(ObjectProvider<MeterRegistry> registry) {
        return new AuditMetrics(registry.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    DatabaseGauges databaseGauges(ObjectProvider<MeterRegistry> registry, JdbcClient jdbc, Barrier barrier, Reencryption reencryption,
            AuditStreaming streaming, Clock clock) {
        return new DatabaseGauges(registry.getIfAvailable(SimpleMeterRegistry::new), new MonitoringRepository(jdbc), barrier,
                reencryption, streaming, clock);
    }

    @Bean
    GaugeRefresh gaugeRefresh(DatabaseGauges gauges, LockkeeperSettings settings) {
        return new GaugeRefresh(gauges, settings.server());
    }

    /** {@code node} in the health groups: open or sealed as a detail; a sealed node is still ready. */
    @Bean
    HealthIndicator nodeHealthIndicator(Barrier barrier) {
        return MonitoringHealth.node(barrier);
    }

    /** {@code auditSinks} in the health groups: down when a sink is further behind than lockkeeper.monitoring.max-sink-lag. */
    @Bean
    HealthIndicator auditSinksHealthIndicator(AuditStreaming streaming,
            @Value("${lockkeeper.monitoring.max-sink-lag:15m}") Duration maxSinkLag) {
        return MonitoringHealth.auditSinks(streaming, maxSinkLag);
    }

    @Bean
    InfoContributor lockkeeperInfo(LockkeeperSettings settings, Barrier barrier) {
        String version = MonitoringConfiguration.class.getPackage().getImplementationVersion();
        return builder -> builder.withDetail("lockkeeper", Map.of("version", version == null ? "dev" : version,
                "node", barrier.nodeName(), "database", settings.embedded() ? "h2" : settings.db().postgresql() ? "postgresql" : "other"));
    }

    /** The servers' refresh of the database gauges; admin commands have no metrics to serve. */
    static final class GaugeRefresh {
        private final DatabaseGauges gauges;
        private final boolean server;

        GaugeRefresh(DatabaseGauges gauges, boolean server) {
            this.gauges = gauges;
            this.server = server;
        }

        @Scheduled(initialDelay = 0, fixedDelayString = "${lockkeeper.monitoring.refresh-interval:30s}")
        void refresh() {
            if (server) {
                gauges.refresh();
            }
        }
    }
}
