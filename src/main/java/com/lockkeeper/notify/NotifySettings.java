package com.lockkeeper.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lockkeeper.notify.*}: mail notifications, off until an SMTP host is configured.
 * {@code securityOfficers} get break-glass reveals, key ceremonies, mass rotations and sign-in
 * lockouts; {@code approvers} are addresses that get every new approval request besides the
 * approvers' own accounts (say, a list for approvers who sign in through the directory).
 * A message that cannot be sent is tried again after {@code retryDelay}, doubling up to an
 * hour, and given up after {@code maxAttempts}. {@code baseUrl} (like https://lockkeeper.corp.example.com)
 * puts links to the pages into messages.
 */
@ConfigurationProperties("lockkeeper.notify")
public record NotifySettings(@DefaultValue Smtp smtp, List<String> securityOfficers, List<String> approvers,
        @DefaultValue("8") int maxAttempts, @DefaultValue("1m") Duration retryDelay, @DefaultValue("10s") Duration pollInterval,
        String baseUrl) {

    /** How to reach the mail server; the password comes from a file only, never from a property or the command line. */
    public record Smtp(String host, @DefaultValue("25") int port, @DefaultValue("true") boolean starttls, String username,
            Path passwordFile, @DefaultValue("lockkeeper@localhost") String from) {
    }

    public NotifySettings {
        securityOfficers = addresses(securityOfficers, "lockkeeper.notify.security-officers");
        approvers = addresses(approvers, "lockkeeper.notify.approvers");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("lockkeeper.notify.max-attempts must be at least 1");
        }
        baseUrl = baseUrl == null || baseUrl.isBlank() ? null : baseUrl.strip().replaceAll("/+$", "");
    }

    /** Whether mail is configured at all; without it nothing is queued. */
    public boolean enabled() {
        return smtp.host() != null && !smtp.host().isBlank();
    }

    private static List<String> addresses(List<String> configured, String property) {
        if (configured == null) {
            return List.of();
        }
        List<String> addresses = configured.stream().filter(a -> a != null && !a.isBlank()).map(String::strip).toList();
        for (String address : addresses) {
            if (MailAddresses.of(address).isEmpty()) {
                throw new IllegalArgumentException(property + ": '" + address + "' is not a mail address (name@example.com)");
            }
        }
        return addresses;
    }
}
