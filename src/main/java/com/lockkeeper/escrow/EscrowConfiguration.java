package com.lockkeeper.escrow;

import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.keys.RecordSealer;
import com.lockkeeper.lifecycle.DeviceActionRepository;
import org.springframework.jdbc.core.simple.JdbcClient;
import java.time.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class EscrowConfiguration {

    @Bean
    EscrowMetrics escrowMetrics(ObjectProvider<MeterRegistry> registry, Clock clock) {
        return new EscrowMetrics(registry.getIfAvailable(SimpleMeterRegistry::new), clock);
    }

    @Bean
    EscrowService escrowService(ComputerRepository computers, RecoveryKeyRepository keys, RecordSealer sealer, AuditLog audit,
            TransactionTemplate transactions, Clock clock, DeviceActionRepository actions, EscrowMetrics metrics) {
        return new EscrowService(computers, keys, sealer, audit, transactions, clock, actions, metrics);
    }

    @Bean
    EscrowImport escrowImport(ComputerRepository computers, RecoveryKeyRepository keys, RecordSealer sealer, AuditLog audit,
            TransactionTemplate transactions, Clock clock, EscrowMetrics metrics) {
        return new EscrowImport(computers, keys, sealer, audit, transactions, clock, metrics);
    }

    @Bean
    Reencryption reencryption(RecoveryKeyRepository keys, JdbcClient jdbc, RecordOpener opener, RecordSealer sealer,
            AuditLog audit, TransactionTemplate transactions, Clock clock) {
        return new Reencryption(keys, new ReencryptionJobs(jdbc), opener, sealer, audit, transactions, clock);
    }
}
