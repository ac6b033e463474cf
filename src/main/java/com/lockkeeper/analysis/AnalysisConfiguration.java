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
    FlaggedRecoveries flaggedRecoveries(RecoveryHistory history, AnalysisSettings settings) {
        return new FlaggedRecoveries(history, new FlaggingRules(settings));
    }

    @Bean
    Analyses analyses(AnalysisRepository repository, FlaggedRecoveries flagged, AnalysisSettings settings, RecoveryChoices choices,
            AuditLog audit, TransactionTemplate transactions, Clock clock, LockkeeperSettings lockkeeper) {
        return new Analyses(repository, flagged, settings, choices, audit, transactions, clock, lockkeeper.nodeName());
    }

    @Bean
    Timeline timeline(RecoveryHistory history, AnalysisRepository analyses) {
        return new Timeline(history, analyses);
    }

    @Bean
    RootCauseStatistics rootCauseStatistics(RecoveryHistory history, AnalysisRepository analyses, AnalysisSettings settings) {
        return new RootCauseStatistics(history, analyses, new FlaggingRules(settings));
    }

    @Bean
    Flagging analysisFlagging(Analyses analyses, LockkeeperSettings settings) {
        return new Flagging(analyses, settings.server());
    }

    /** Opens analyses for newly flagged computers now and then, so they show up without anyone opening the page first. */
    static final class Flagging {

        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Flagging.class);
        private final Analyses analyses;
        private final boolean server;

        Flagging(Analyses analyses, boolean server) {
            this.analyses = analyses;
            this.server = server;
        }

        @org.springframework.scheduling.annotation.Scheduled(initialDelay = 60_000,
                fixedDelayString = "${lockkeeper.analysis.flag-every-ms:300000}")
        void flag() {
            if (!server) {
                return;
            }
            try {
                int opened = analyses.openForFlaggedComputers();
                if (opened > 0) {
                    LOG.info("opened {} post-recovery analyses for flagged computers", opened);
                }
            } catch (RuntimeException e) {
                LOG.warn("flagging computers for post-recovery analysis failed, will try again: {}", e.toString());
            }
        }
    }
}
