package com.lockkeeper;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
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

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(LockkeeperSettings settings) throws IOException {
        HikariConfig config = new HikariConfig();
        if (settings.embedded()) {
            Files.createDirectories(settings.dataDir());
        }
        config.setJdbcUrl(settings.jdbcUrl());
        if (settings.db().user() != null) {
            config.setUsername(settings.db().user());
        }
        if (settings.db().passwordFile() != null) {
            config.setPassword(Files.readString(settings.db().passwordFile()).strip());
        }
        config.setPoolName("lockkeeper");
        config.setMaximumPoolSize(settings.server() ? 16 : 2);
        return new HikariDataSource(config);
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
