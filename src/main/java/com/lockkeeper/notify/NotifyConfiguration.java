package com.lockkeeper.notify;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.AuditLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Properties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class NotifyConfiguration {

    @Bean
    NotificationRepository notificationRepository(JdbcClient jdbc) {
        return new NotificationRepository(jdbc);
    }

    @Bean
    Notifications notifications(NotificationRepository outbox, NotifySettings settings, Clock clock) {
        return new Notifications(outbox, settings, clock);
    }

    @Bean
    SecurityOfficerAlerts securityOfficerAlerts(Notifications notifications) {
        return new SecurityOfficerAlerts(notifications);
    }

    /** Only the server mails; an admin command's notifications wait in the outbox for it. */
    @Bean
    @ConditionalOnProperty(name = "lockkeeper.process", havingValue = "server", matchIfMissing = true)
    NotificationSender notificationSender(NotificationRepository outbox, NotifySettings settings, AuditLog audit,
            TransactionTemplate transactions, Clock clock, LockkeeperSettings lockkeeper) {
        return new NotificationSender(outbox, settings, mailSender(settings.smtp()), new MailRenderer(), audit, transactions, clock,
                lockkeeper.nodeName());
    }

    private static JavaMailSenderImpl mailSender(NotifySettings.Smtp smtp) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(smtp.host());
        sender.setPort(smtp.port());
        sender.setDefaultEncoding("UTF-8");
        Properties properties = sender.getJavaMailProperties();
        properties.put("mail.smtp.connectiontimeout", "5000");
        properties.put("mail.smtp.timeout", "10000");
        properties.put("mail.smtp.writetimeout", "10000");
        properties.put("mail.smtp.starttls.enable", String.valueOf(smtp.starttls()));
        properties.put("mail.smtp.starttls.required", String.valueOf(smtp.starttls()));
        if (smtp.username() != null && !smtp.username().isBlank()) {
            sender.setUsername(smtp.username());
            properties.put("mail.smtp.auth", "true");
            if (smtp.passwordFile() != null) {
                try {
                    sender.setPassword(Files.readAllLines(smtp.passwordFile(), StandardCharsets.UTF_8).stream().findFirst()
                            .orElse("").strip());
                } catch (IOException e) {
                    throw new UncheckedIOException("lockkeeper.notify.smtp.password-file " + smtp.passwordFile()
                            + " cannot be read: make it readable by this user, or leave the property out", e);
                }
            }
        }
        return sender;
    }
}
