package com.lockkeeper.activedirectory;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.escrow.EscrowImport;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class DirectoryImportConfiguration {

    @Bean
    DirectorySyncRepository directorySyncRepository(JdbcClient jdbc) {
        return new DirectorySyncRepository(jdbc);
    }

    @Bean
    DirectoryImport directoryImport(EscrowImport escrowImport, DirectorySyncRepository repository, AuditLog audit, Clock clock) {
        return new DirectoryImport(escrowImport, repository, audit, clock);
    }

    @Bean
    DirectorySync directorySync(DirectorySyncSettings settings, DirectoryImport directoryImport, DirectorySyncRepository repository,
            Clock clock, LockkeeperSettings lockkeeper) {
        return new DirectorySync(settings, directoryImport, repository, clock, lockkeeper.server(),
                lockkeeper.nodeName() + "/" + lockkeeper.process());
    }
}
