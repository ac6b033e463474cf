package com.lockkeeper.devices;

import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.support.CredentialChanges;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class DevicesConfiguration {

    @Bean
    Devices devices(JdbcClient jdbc, ComputerRepository computers, RecoveryKeyRepository keys, DeviceSettings settings,
            AuditLog audit, TransactionTemplate transactions, Clock clock, SecureRandom random, CredentialChanges changes) {
        return new Devices(new DeviceRepository(jdbc), computers, keys, settings, audit, transactions, clock, random, changes);
    }

    @Bean
    DeviceAccess deviceAccess(Devices devices, ComputerRepository computers, DeviceSettings settings, AuditLog audit) {
        return new DeviceAccess(devices, computers, settings, audit);
    }
}
