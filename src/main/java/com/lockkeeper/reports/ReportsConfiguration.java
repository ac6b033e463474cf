package com.lockkeeper.reports;

import com.lockkeeper.analysis.PostRecoveryAnalysis;
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
    Reports reports(ReportRepository repository, PostRecoveryAnalysis analysis, Clock clock) {
        return new Reports(repository, analysis, clock);
    }
}
