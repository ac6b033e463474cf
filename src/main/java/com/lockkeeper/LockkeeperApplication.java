package com.lockkeeper;

import com.lockkeeper.support.CredentialChanges;
import com.lockkeeper.support.DataDirectory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The Spring application behind `lockkeeper serve` and every admin command. */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@EnableScheduling
@ConfigurationPropertiesScan
public class LockkeeperApplication {

    static {
        EmbeddedDatabase.listenOnLoopbackOnly();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** This node's count of credential changes (a revoked token, device or role): its token cache forgets at each. */
    @Bean
    CredentialChanges credentialChanges() {
        return new CredentialChanges();
    }

    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(LockkeeperSettings settings, SecureRandom random) {
        HikariConfig config = new HikariConfig();
        DataDirectory.prepare(settings.dataDir(), System.out);
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.embedded()) {
            config.setUsername("");
            config.setPassword(EmbeddedDatabase.password(settings.dataDir(), settings.jdbcUrl(), random, System.out));
        }
        if (settings.db().user() != null) {
            config.setUsername(settings.db().user());
        }
        if (settings.db().passwordFile() != null) {
            config.setPassword(EmbeddedDatabase.firstLine(settings.db().passwordFile()));
        }
        config.setPoolName("lockkeeper");
        config.setMaximumPoolSize(settings.server() ? 16 : 2);
        if (!settings.embedded()) {
            // Fail fast while the database is away (a failover): a request waits at most this long for a
            // connection, then the client gets a retryable 503; the pool reconnects by itself afterwards.
            long timeout = settings.db().connectionTimeout().toMillis();
            config.setConnectionTimeout(timeout);
            config.setValidationTimeout(Math.max(250, Math.min(timeout, 2000)));
            if (settings.db().postgresql()) {
                // Defaults only: parameters in the URL win. Dead hosts are not waited on for long, and after a
                // failover the driver looks again within 2 s at which host is now the primary.
                config.addDataSourceProperty("connectTimeout", "5");
                config.addDataSourceProperty("hostRecheckSeconds", "2");
                config.addDataSourceProperty("tcpKeepAlive", "true");
                config.addDataSourceProperty("ApplicationName", "lockkeeper " + settings.nodeName());
                // A statement the driver has prepared gets a generic plan after five runs, planned once with the
                // statistics of that moment: on a fresh database that is an empty table, and the group escrow's
                // IN-list lookups then scanned the whole table once it held thousands of computers (11 ms each,
                // escrow fell from 469/s to 94/s at four concurrent devices). Custom plans see the table as it is.
                config.addDataSourceProperty("options", "-c plan_cache_mode=force_custom_plan");
            }
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        if (settings.embedded()) {
            // H2 made its files with the process's umask; they hold every row, and the web sessions.
            DataDirectory.tighten(settings.dataDir(), System.out);
        }
        return dataSource;
    }

    @Bean
    EmbeddedStoreHousekeeping embeddedStoreHousekeeping(DataSource dataSource) {
        return new EmbeddedStoreHousekeeping(dataSource);
    }

    @Bean
    JdbcClient jdbcClient(DataSource dataSource) {
        return JdbcClient.create(dataSource);
    }

    @Bean
    PlatformTransactionManager transactionManager(DataSource dataSource) {
        return new JdbcTransactionManager(dataSource);
    }

    @Bean
    TransactionTemplate transactionTemplate(PlatformTransactionManager transactionManager) {
        return new TransactionTemplate(transactionManager);
    }
}
