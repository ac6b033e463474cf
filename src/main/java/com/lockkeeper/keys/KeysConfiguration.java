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
    KeyRing keyRing(LockkeeperSettings settings, KeyRepository repository) {
        return new KeyRing(settings.dataDir(), settings.nodeName(), repository);
    }

    @Bean
    SealEpochs sealEpochs(KeyRing ring, KeyRepository repository, TransactionTemplate transactions, Clock clock,
            SecureRandom random, LockkeeperSettings settings) {
        return new SealEpochs(ring, repository, transactions, clock, random, settings.epoch().maxAge(),
                settings.epoch().maxRows());
    }

    @Bean
    EpochOpener epochOpener(KeyRing ring, KeyRepository repository) {
        return new EpochOpener(ring, repository);
    }

    @Bean
    KeyCeremonies keyCeremonies(KeyRing ring, KeyRepository repository, AuditLog audit, TransactionTemplate transactions,
            Clock clock, SecureRandom random, LockkeeperSettings settings) {
        return new KeyCeremonies(ring, repository, audit, transactions, clock, random, settings.kdf());
    }

    @Bean
    EpochExpiry epochExpiry(SealEpochs epochs) {
        return new EpochExpiry(epochs);
    }

    /** Ends idle epochs on time, so an epoch key does not stay in memory past its epoch. */
    static final class EpochExpiry {
        private final SealEpochs epochs;

        EpochExpiry(SealEpochs epochs) {
            this.epochs = epochs;
        }

        @Scheduled(fixedDelay = 1000)
        void expire() {
            epochs.expire();
        }
    }
}
