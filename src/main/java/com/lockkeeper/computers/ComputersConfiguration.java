package com.lockkeeper.computers;

import com.lockkeeper.audit.AuditLog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class ComputersConfiguration {

    @Bean
    ComputerRepository computerRepository(JdbcClient jdbc, JdbcTemplate batches) {
        return new ComputerRepository(jdbc, batches);
    }

    @Bean
    ComputerSearch computerSearch(JdbcClient jdbc) {
        return new ComputerSearch(jdbc);
    }

    @Bean
    KeysAwaitingVolume keysAwaitingVolume(JdbcClient jdbc, AuditLog audit) {
        return new KeysAwaitingVolume(jdbc, audit);
    }

    @Bean
    RecoveryKeyRepository recoveryKeyRepository(JdbcClient jdbc, JdbcTemplate batches) {
        return new RecoveryKeyRepository(jdbc, batches);
    }
}
