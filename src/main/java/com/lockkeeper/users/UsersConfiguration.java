package com.lockkeeper.users;

import com.lockkeeper.audit.AuditLog;
import java.security.SecureRandom;
import java.time.Clock;
import com.lockkeeper.support.CredentialChanges;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class UsersConfiguration {

    @Bean
    UserAccounts userAccounts(JdbcClient jdbc, AuditLog audit, TransactionTemplate transactions, Clock clock, SecureRandom random,
            ApplicationEventPublisher events, CredentialChanges changes) {
        return new UserAccounts(new UserRepository(jdbc), audit, transactions, clock, random, events, changes);
    }
}
