package com.lockkeeper.dashboard;

import com.lockkeeper.cluster.NodeRegistry;
import com.lockkeeper.reports.Reports;
import com.lockkeeper.streaming.AuditStreaming;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DashboardConfiguration {

    @Bean
    Dashboard dashboard(Reports reports, NodeRegistry nodes, ObjectProvider<AuditStreaming> streaming, Clock clock) {
        return new Dashboard(reports, nodes, streaming::getIfAvailable, clock);
    }
}
