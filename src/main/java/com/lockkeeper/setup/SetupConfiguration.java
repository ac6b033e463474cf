package com.lockkeeper.setup;

import com.lockkeeper.audit.AuditKeys;
import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.cluster.NodeRegistry;
import com.lockkeeper.keys.KeyCeremonies;
import com.lockkeeper.keys.Barrier;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.UserAccounts;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SetupConfiguration {

    @Bean
    @ConditionalOnProperty(name = "lockkeeper.process", havingValue = "server", matchIfMissing = true)
    FirstStart firstStart(LockkeeperSettings settings, Barrier barrier, KeyCeremonies ceremonies, UserAccounts users,
            ApiTokens tokens, NodeRegistry nodes, AuditKeys auditKeys, SecureRandom random,
            @Value("${lockkeeper.first-start.secrets-file:#{null}}") Path secretsFile) {
        return new FirstStart(settings, barrier, ceremonies, users, tokens, nodes, auditKeys, random, System.out, secretsFile);
    }
}
