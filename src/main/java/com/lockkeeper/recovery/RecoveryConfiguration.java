package com.lockkeeper.recovery;

import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerSearch;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.keys.Barrier;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.lifecycle.Disclosures;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class RecoveryConfiguration {

    @Bean
    RevealService revealService(RecoveryKeyRepository keys, ComputerSearch search, RecordOpener opener, AuditLog audit,
            TransactionTemplate transactions, Disclosures disclosures, Clock clock) {
        return new RevealService(keys, search, opener, audit, transactions, disclosures, clock);
    }

    @Bean
    HelpdeskRecovery helpdeskRecovery(ComputerSearch search, RevealService reveals, RecoveryChoices choices, AuditLog audit) {
        return new HelpdeskRecovery(search, reveals, choices, audit);
    }

    @Bean
    SelfService selfService(ComputerSearch search, RevealService reveals, AuditLog audit, SelfServiceSettings settings,
            Clock clock, JdbcClient jdbc) {
        return new SelfService(search, reveals, audit, settings,
                new SelfServiceAllowance(jdbc, clock, settings.maxReveals(), settings.window()));
    }

    @Bean
    KeyVerification keyVerification(RecoveryKeyRepository keys, RecordOpener opener, Barrier barrier, AuditLog audit) {
        return new KeyVerification(keys, opener, barrier, audit);
    }
}
