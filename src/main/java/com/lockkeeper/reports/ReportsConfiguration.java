package com.lockkeeper.reports;

import com.lockkeeper.analysis.Analyses;
import com.lockkeeper.analysis.FlaggedRecoveries;
import com.lockkeeper.analysis.RootCauseStatistics;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class ReportsConfiguration {

    @Bean
    ReportRepository reportRepository(JdbcClient jdbc) {
        return new ReportRepository(jdbc);
    }

    @Bean
    Reports reports(ReportRepository repository, Analyses analyses, FlaggedRecoveries flagged, RootCauseStatistics rootCauses,
            Clock clock) {
        return new Reports(repository, analyses, flagged, rootCauses, clock);
    }
}
