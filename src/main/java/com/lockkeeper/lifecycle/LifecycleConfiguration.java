package com.lockkeeper.lifecycle;

import com.lockkeeper.computers.RecoveryKeyRepository;
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
    RecoveryEventRepository recoveryEventRepository(JdbcClient jdbc) {
        return new RecoveryEventRepository(jdbc);
    }
}
