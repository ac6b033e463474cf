package com.lockkeeper.notify;

import com.lockkeeper.notify.NotificationRepository.Queued;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * Queues notifications in the outbox, in the caller's transaction: a message exists exactly when
 * its action committed, and is mailed after that by {@link NotificationSender}; queueing never
 * waits on the mail server. Without an SMTP host nothing is queued.
 */
public final class Notifications {

    /** What admins see: how many wait, how many were given up, and the latest that failed at least once. */
    public record Status(boolean enabled, long pending, long failed, List<Queued> troubled) {
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final NotificationRepository outbox;
    private final NotifySettings settings;
    private final Clock clock;

    Notifications(NotificationRepository outbox, NotifySettings settings, Clock clock) {
        this.outbox = outbox;
        this.settings = settings;
        this.clock = clock;
    }

    public boolean enabled() {
        return settings.enabled();
    }

    public void queue(Notice notice) {
        if (!settings.enabled() || notice.recipients().isEmpty()) {
            return;
        }
        Map<String, String> model = new TreeMap<>(notice.model());
        if (settings.baseUrl() != null) {
            model.putIfAbsent("baseUrl", settings.baseUrl());
        }
        String json = JSON.writeValueAsString(model);
        for (String recipient : notice.recipients().stream().sorted().toList()) {
            outbox.insert(notice.kind().template(), recipient, json, clock.instant());
        }
    }

    /** To the configured security officers. */
    public void toSecurityOfficers(NoticeKind kind, Map<String, String> model) {
        queue(Notice.of(kind, settings.securityOfficers(), model));
    }

    /** The addresses configured to get every approval request, besides the approvers' own accounts. */
    public List<String> approverAddresses() {
        return settings.approvers();
    }

    /** The mail address of each account whose name is one (see {@link MailAddresses}). */
    public static List<String> addressesOf(Collection<String> accounts) {
        return accounts.stream().map(MailAddresses::of).flatMap(Optional::stream).distinct().toList();
    }

    public Status status(int limit) {
        return new Status(settings.enabled(), outbox.count("pending"), outbox.count("failed"), outbox.troubled(limit));
    }
}
