package com.lockkeeper.audit;

import com.lockkeeper.LockkeeperSettings;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    AuditRepository auditRepository(JdbcClient jdbc, JdbcTemplate batches) {
        return new AuditRepository(jdbc, batches);
    }

    @Bean
    AuditLog auditLog(AuditRepository repository, AuditKeys keys, TransactionTemplate transactions, Clock clock,
            LockkeeperSettings settings, org.springframework.beans.factory.ObjectProvider<AuditObserver> observers) {
        return new AuditLog(repository, keys, transactions, clock, settings.auditLaneName(), settings.auditLanes(),
                () -> observers.orderedStream().toList());
    }

    @Bean
    AuditAnchors auditAnchors(LockkeeperSettings settings) {
        return new AuditAnchors(settings.dataDir());
    }

    /** Not lazy: an admin command's context creates it with the audit log, and closing the context anchors its lane. */
    @Bean
    @org.springframework.context.annotation.Lazy(false)
    AuditAnchoring auditAnchoring(AuditLog audit, AuditAnchors anchors, LockkeeperSettings settings) {
        return new AuditAnchoring(audit, anchors, settings.server());
    }

    @Bean
    AuditFeed auditFeed(AuditRepository repository) {
        return new AuditFeed(repository);
    }

    @Bean
    AuditSearch auditSearch(AuditRepository repository) {
        return new AuditSearch(repository);
    }

    @Bean
    AuditVerifier auditVerifier(AuditRepository repository, AuditKeys keys) {
        return new AuditVerifier(repository, keys);
    }
}
