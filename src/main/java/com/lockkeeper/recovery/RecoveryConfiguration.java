package com.lockkeeper.recovery;

import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.computers.ComputerSearch;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.keys.Barrier;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.lifecycle.Disclosures;
import com.lockkeeper.notify.Notifications;
import com.lockkeeper.users.UserAccounts;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class RecoveryConfiguration {

    @Bean
    ApprovalPolicy approvalPolicy(ApprovalSettings settings) {
        return new ApprovalPolicy(settings);
    }

    @Bean
    RevealNotices revealNotices(Notifications notifications, UserAccounts users, ApprovalPolicy policy) {
        return new RevealNotices(notifications, users, policy);
    }

    @Bean
    Approvals approvals(JdbcClient jdbc, ApprovalPolicy policy, AuditLog audit, TransactionTemplate transactions,
            RevealNotices notices, Clock clock) {
        return new Approvals(new ApprovalRepository(jdbc), policy, audit, transactions, notices, clock);
    }

    @Bean
    RevealService revealService(RecoveryKeyRepository keys, ComputerSearch search, RecordOpener opener, AuditLog audit,
            TransactionTemplate transactions, Disclosures disclosures, Clock clock, RevealNotices notices) {
        return new RevealService(keys, search, opener, audit, transactions, disclosures, clock, notices);
    }

    @Bean
    HelpdeskRecovery helpdeskRecovery(ComputerSearch search, RevealService reveals, RecoveryChoices choices, AuditLog audit,
            Approvals approvals) {
        return new HelpdeskRecovery(search, reveals, choices, audit, approvals);
    }

    @Bean
    SelfService selfService(ComputerSearch search, RevealService reveals, AuditLog audit, SelfServiceSettings settings,
            Clock clock, JdbcClient jdbc, Approvals approvals) {
        return new SelfService(search, reveals, audit, settings,
                new SelfServiceAllowance(jdbc, clock, settings.maxReveals(), settings.window()), approvals);
    }

    @Bean
    KeyVerification keyVerification(RecoveryKeyRepository keys, RecordOpener opener, Barrier barrier, AuditLog audit) {
        return new KeyVerification(keys, opener, barrier, audit);
    }
}
