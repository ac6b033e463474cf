package com.lockkeeper.reports;

import com.lockkeeper.analysis.Analyses;
import com.lockkeeper.analysis.Flag;
import com.lockkeeper.analysis.FlaggedRecoveries;
import com.lockkeeper.analysis.RootCauseStatistics;
import com.lockkeeper.retention.Retention;
import java.time.Clock;
import java.util.List;
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
            ComplianceSettings compliance, Retention retention, Clock clock) {
        return new Reports(List.of(
                new RecoveryAuditReport(repository),
                new EnterpriseComplianceReport(repository, compliance, clock),
                new ComputerComplianceReport(repository, compliance, clock),
                new DisclosedNotRotatedReport(repository, clock),
                new NotCheckedInReport(repository, clock),
                new EscrowDriftReport(repository),
                new FlaggedRecoveriesReport(Flag.Kind.REPEATED, flagged, analyses),
                new FlaggedRecoveriesReport(Flag.Kind.AFTER_BOOT_CHANGE, flagged, analyses),
                new UnresolvedAnalysesReport(analyses, clock),
                new RootCauseReport(rootCauses),
                new KeysDueForPurgeReport(retention)), clock);
    }
}
