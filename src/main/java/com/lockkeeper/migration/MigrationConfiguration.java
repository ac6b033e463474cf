package com.lockkeeper.migration;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.KeysAwaitingVolume;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.escrow.EscrowImport;
import com.lockkeeper.keys.KeyCeremonies;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class MigrationConfiguration {

    @Bean
    Migrations migrations(EscrowImport escrowImport, KeysAwaitingVolume awaitingVolume, RecoveryKeyRepository keys,
            KeyCeremonies ceremonies, AuditLog audit, TransactionTemplate transactions, Clock clock, LockkeeperSettings settings) {
        return new Migrations(escrowImport, awaitingVolume, keys, ceremonies, audit, transactions, clock, new SecureRandom(),
                settings.nodeName());
    }
}
