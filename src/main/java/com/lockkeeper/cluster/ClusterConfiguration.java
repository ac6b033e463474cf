package com.lockkeeper.cluster;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.keys.Barrier;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    NodeRegistry nodeRegistry(JdbcClient jdbc, Barrier barrier, Clock clock) {
        String version = ClusterConfiguration.class.getPackage().getImplementationVersion();
        return new NodeRegistry(jdbc, barrier, clock, version == null ? "dev" : version);
    }

    /** Told by Flyway before each migration: an upgrade stop waits until no other node runs. */
    @Bean
    UpgradeStop upgradeStop(LockkeeperSettings settings, Clock clock) {
        return new UpgradeStop(settings.nodeName(), clock);
    }

    @Bean
    DatabaseProbe databaseProbe(JdbcClient jdbc) {
        return new DatabaseProbe(jdbc);
    }

    @Bean
    Heartbeat heartbeat(NodeRegistry registry, LockkeeperSettings settings) {
        return new Heartbeat(registry, settings.server());
    }

    /** The server's heartbeat; admin commands do not count as running nodes. */
    static final class Heartbeat {
        private final NodeRegistry registry;
        private final boolean server;

        Heartbeat(NodeRegistry registry, boolean server) {
            this.registry = registry;
            this.server = server;
        }

        @Scheduled(initialDelay = 30_000, fixedDelay = 30_000)
        void beat() {
            if (server) {
                registry.heartbeat();
            }
        }
    }
}
