package com.lockkeeper.computers;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class ComputersConfiguration {

    @Bean
    ComputerRepository computerRepository(JdbcClient jdbc) {
        return new ComputerRepository(jdbc);
    }

    @Bean
    ComputerSearch computerSearch(JdbcClient jdbc) {
        return new ComputerSearch(jdbc);
    }

    @Bean
    RecoveryKeyRepository recoveryKeyRepository(JdbcClient jdbc) {
        return new RecoveryKeyRepository(jdbc);
    }
}
