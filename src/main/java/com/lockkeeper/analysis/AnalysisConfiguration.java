package com.lockkeeper.analysis;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.recovery.RecoveryChoices;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class AnalysisConfiguration {

    @Bean
    RecoveryHistory recoveryHistory(JdbcClient jdbc) {
        return new RecoveryHistory(jdbc);
    }

    @Bean
    AnalysisRepository analysisRepository(JdbcClient jdbc) {
        return new AnalysisRepository(jdbc);
    }

    @Bean
    PostRecoveryAnalysis postRecoveryAnalysis(RecoveryHistory history, AnalysisRepository analyses, AnalysisSettings settings,
            RecoveryChoices choices, AuditLog audit, TransactionTemplate transactions, Clock clock, LockkeeperSettings lockkeeper) {
        return new PostRecoveryAnalysis(history, analyses, settings, choices, audit, transactions, clock, lockkeeper.nodeName());
    }
}
