package com.lockkeeper.tokens;

import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.support.CredentialChanges;
import java.security.SecureRandom;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class TokensConfiguration {

    @Bean
    ApiTokens apiTokens(JdbcClient jdbc, AuditLog audit, TransactionTemplate transactions, Clock clock, SecureRandom random,
            CredentialChanges changes) {
        return new ApiTokens(new TokenRepository(jdbc), audit, transactions, clock, random, changes);
    }

    /** One per node: what tokens and device credentials authenticated as, for a moment. */
    @Bean
    TokenCache tokenCache(CredentialChanges changes, TokenCacheSettings settings) {
        return new TokenCache(changes, settings);
    }

    @Bean
    TokensOfDisabledUsers tokensOfDisabledUsers(ApiTokens tokens) {
        return new TokensOfDisabledUsers(tokens);
    }
}
