package com.lockkeeper.notify;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.audit.Outcome;
import com.lockkeeper.notify.NotificationRepository.Queued;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;

/**
 * Mails what the outbox holds, after the actions that queued it have committed: every
 * {@code lockkeeper.notify.poll-interval}, the due messages, each claimed by one node first. A
 * failure is tried again later, after {@code retry-delay} doubling up to an hour; after
 * {@code max-attempts} the message is given up, which is audited once and shown to admins.
 */
final class NotificationSender {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationSender.class);
    private static final Duration MAX_DELAY = Duration.ofHours(1);
    private static final Duration CLAIM = Duration.ofMinutes(2);
    private static final int BATCH = 50;
    private static final TypeReference<Map<String, String>> MODEL = new TypeReference<>() {
    };

    private final NotificationRepository outbox;
    private final NotifySettings settings;
    private final JavaMailSender mail;
    private final MailRenderer renderer;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final String nodeName;

    NotificationSender(NotificationRepository outbox, NotifySettings settings, JavaMailSender mail, MailRenderer renderer,
            AuditLog audit, TransactionTemplate transactions, Clock clock, String nodeName) {
        this.outbox = outbox;
        this.settings = settings;
        this.mail = mail;
        this.renderer = renderer;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.nodeName = nodeName;
    }

    @Scheduled(initialDelayString = "${lockkeeper.notify.poll-interval:10s}", fixedDelayString = "${lockkeeper.notify.poll-interval:10s}")
    void sendDue() {
        if (!settings.enabled()) {
            return;
        }
        try {
            for (long id : outbox.due(clock.instant(), BATCH)) {
                Instant now = clock.instant();
                if (outbox.claim(id, now, now.plus(CLAIM))) {
                    outbox.find(id).ifPresent(this::send);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Notifications: the outbox could not be read ({}); trying again in {}", e.getClass().getSimpleName(),
                    settings.pollInterval());
        }
    }

    private void send(Queued message) {
        try {
            NoticeKind kind = NoticeKind.ofTemplate(message.kind());
            MailRenderer.Rendered rendered = renderer.render(kind, Notifications.JSON.readValue(message.model(), MODEL));
            MimeMessage mime = mail.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
            helper.setFrom(settings.smtp().from());
            helper.setTo(message.recipient());
            helper.setSubject(rendered.subject());
            helper.setText(rendered.text(), rendered.html());
            mail.send(mime);
            outbox.sent(message.id(), clock.instant());
        } catch (MessagingException | RuntimeException e) { // MailException among them
            failed(message, e);
        }
    }

    private void failed(Queued message, Exception e) {
        String error = describe(e);
        int attempts = message.attempts() + 1;
        if (attempts >= settings.maxAttempts()) {
            transactions.executeWithoutResult(tx -> {
                if (outbox.giveUp(message.id(), error)) {
                    audit.record(AuditEntry.of(Actor.system(nodeName), AuditAction.NOTIFICATION_GIVEN_UP,
                            "notification " + message.id(), Outcome.FAILURE, message.kind() + " to " + message.recipient()
                                    + "; given up after " + attempts + " attempts; last error: " + error));
                }
            });
            LOG.warn("Notifications: gave up {} to {} after {} attempts: {}", message.kind(), message.recipient(), attempts, error);
            return;
        }
        Duration delay = settings.retryDelay().multipliedBy(1L << Math.min(20, attempts - 1));
        if (delay.compareTo(MAX_DELAY) > 0) {
            delay = MAX_DELAY;
        }
        outbox.retryLater(message.id(), clock.instant().plus(delay), error);
        LOG.info("Notifications: {} to {} not sent ({}); trying again in {}", message.kind(), message.recipient(), error, delay);
    }

    /** What went wrong, innermost cause first, short: a mail server's answer or a connection error never holds our secrets. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        text = text.replaceAll("\\p{Cntrl}", " ");
        return text.length() > 900 ? text.substring(0, 900) + "…" : text;
    }
}
