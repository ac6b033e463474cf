package com.lockkeeper.lifecycle;

import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.KeysAwaitingVolume;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.retention.Retention;
import org.springframework.transaction.support.TransactionTemplate;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class LifecycleConfiguration {

    @Bean
    DeviceActionRepository deviceActionRepository(JdbcClient jdbc, JdbcTemplate batches) {
        return new DeviceActionRepository(jdbc, batches);
    }

    @Bean
    Disclosures disclosures(RecoveryKeyRepository keys, DeviceActionRepository actions, RecoveryEventRepository events,
            Clock clock) {
        return new Disclosures(keys, actions, events, clock);
    }

    @Bean
    CheckinService checkinService(ComputerRepository computers, RecoveryKeyRepository keys, DeviceActionRepository actions,
            AuditLog audit, TransactionTemplate transactions, Clock clock, KeysAwaitingVolume awaitingVolume, Retention retention) {
        return new CheckinService(computers, keys, actions, audit, transactions, clock, awaitingVolume, retention);
    }

    @Bean
    Rotations rotations(RecoveryKeyRepository keys, ComputerRepository computers, DeviceActionRepository actions, AuditLog audit,
            TransactionTemplate transactions, Clock clock) {
        return new Rotations(keys, computers, actions, audit, transactions, clock);
    }

    @Bean
    DeviceEvents deviceEvents(ComputerRepository computers, RecoveryKeyRepository keys, Disclosures disclosures,
            RecoveryEventRepository events, AuditLog audit, TransactionTemplate transactions, Clock clock) {
        return new DeviceEvents(computers, keys, disclosures, events, audit, transactions, clock);
    }

    @Bean
    RecoveryEventRepository recoveryEventRepository(JdbcClient jdbc) {
        return new RecoveryEventRepository(jdbc);
    }
}
