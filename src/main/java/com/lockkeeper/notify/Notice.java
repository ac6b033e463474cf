package com.lockkeeper.notify;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One notification to some addresses: its kind and the values its template shows. Whatever looks
 * like a recovery password (48 digits) or a Lockkeeper token in a value is replaced by
 * "[redacted]" here, so that no message can carry one whatever a caller passes (say, a password
 * typed as a user name at sign-in), and queueing never fails the action it tells of.
 */
public record Notice(NoticeKind kind, Set<String> recipients, Map<String, String> model) {

    private static final Pattern SECRET = Pattern.compile("(\\d{6}-?){7}\\d{6}|\\blk[a-z]_[A-Za-z0-9_-]{16,}");

    static final String REDACTED = "[redacted]";

    public Notice {
        if (kind == null) {
            throw new IllegalArgumentException("a notice needs a kind");
        }
        Set<String> addresses = new LinkedHashSet<>();
        for (String recipient : recipients) {
            addresses.add(MailAddresses.of(recipient).orElseThrow(() -> new IllegalArgumentException(
                    "not a mail address: " + recipient)));
        }
        recipients = Set.copyOf(addresses);
        Map<String, String> values = new LinkedHashMap<>();
        model.forEach((name, value) -> values.put(name, value == null ? "" : SECRET.matcher(value).replaceAll(REDACTED)));
        model = Map.copyOf(values);
    }

    public static Notice of(NoticeKind kind, Collection<String> recipients, Map<String, String> model) {
        return new Notice(kind, new LinkedHashSet<>(recipients), model);
    }
}
