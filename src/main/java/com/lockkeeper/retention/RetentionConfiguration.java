package com.lockkeeper.retention;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditLog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

    @Bean
    RetentionRepository retentionRepository(JdbcClient jdbc) {
        return new RetentionRepository(jdbc);
    }

    @Bean
    Retention retention(RetentionRepository repository, RetentionSettings settings, AuditLog audit, TransactionTemplate transactions,
            Clock clock) {
        return new Retention(repository, settings, audit, transactions, clock);
    }

    @Bean
    RetentionJob retentionJob(Retention retention, RetentionRepository repository, Clock clock, LockkeeperSettings lockkeeper) {
        return new RetentionJob(retention, repository, clock, lockkeeper.server(), lockkeeper.nodeName() + "/" + lockkeeper.process(),
                Actor.system(lockkeeper.nodeName()));
    }
}
