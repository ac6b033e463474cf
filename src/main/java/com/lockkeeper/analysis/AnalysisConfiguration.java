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

    @Bean
    Flagging analysisFlagging(PostRecoveryAnalysis analysis, LockkeeperSettings settings) {
        return new Flagging(analysis, settings.server());
    }

    /** Opens analyses for newly flagged computers now and then, so they show up without anyone opening the page first. */
    static final class Flagging {

        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Flagging.class);
        private final PostRecoveryAnalysis analysis;
        private final boolean server;

        Flagging(PostRecoveryAnalysis analysis, boolean server) {
            this.analysis = analysis;
            this.server = server;
        }

        @org.springframework.scheduling.annotation.Scheduled(initialDelay = 60_000,
                fixedDelayString = "${lockkeeper.analysis.flag-every-ms:300000}")
        void flag() {
            if (!server) {
                return;
            }
            try {
                int opened = analysis.openAnalysesForFlaggedComputers();
                if (opened > 0) {
                    LOG.info("opened {} post-recovery analyses for flagged computers", opened);
                }
            } catch (RuntimeException e) {
                LOG.warn("flagging computers for post-recovery analysis failed, will try again: {}", e.toString());
            }
        }
    }
}
