package com.lockkeeper.keys;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.AuditLog;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class KeysConfiguration {

    @Bean
    KeyRepository keyRepository(JdbcClient jdbc) {
        return new KeyRepository(jdbc);
    }

    @Bean
    Barrier keyRing(LockkeeperSettings settings, KeyRepository repository) {
        return new Barrier(settings.dataDir(), settings.nodeName(), repository);
    }

    @Bean
    EpochSealer sealEpochs(Barrier barrier, KeyRepository repository, TransactionTemplate transactions, Clock clock,
            SecureRandom random, LockkeeperSettings settings) {
        return new EpochSealer(barrier, repository, transactions, clock, random, settings.epoch().maxAge(),
                settings.epoch().maxRows());
    }

    @Bean
    AuditKeyring auditKeyring(LockkeeperSettings settings, KeyRepository repository, Barrier barrier, Clock clock) {
        return new AuditKeyring(settings.dataDir(), settings.nodeName(), repository, barrier, clock);
    }

    @Bean
    EpochOpener epochOpener(Barrier barrier, KeyRepository repository,
            org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
        return new EpochOpener(barrier, repository, io.micrometer.core.instrument.Counter.builder("lockkeeper.epoch.keys.opened")
                .description("Epoch keys opened through the datakey (each epoch once, then cached)")
                .register(registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new)));
    }

    @Bean
    KeyCeremonies keyCeremonies(Barrier barrier, KeyRepository repository, AuditLog audit, TransactionTemplate transactions,
            Clock clock, SecureRandom random, LockkeeperSettings settings) {
        return new KeyCeremonies(barrier, repository, audit, transactions, clock, random, settings.kdf());
    }

    @Bean
    EpochExpiry epochExpiry(EpochSealer epochs) {
        return new EpochExpiry(epochs);
    }

    /** Ends idle epochs on time, so an epoch key does not stay in memory past its epoch. */
    static final class EpochExpiry {
        private final EpochSealer epochs;

        EpochExpiry(EpochSealer epochs) {
            this.epochs = epochs;
        }

        @Scheduled(fixedDelay = 1000)
        void expire() {
            epochs.expire();
        }
    }
}
