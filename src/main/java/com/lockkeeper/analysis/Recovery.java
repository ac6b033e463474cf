package com.lockkeeper.analysis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One recovery of a computer: the events that belong to it (a helpdesk reveal and the device's
 * unlock events after it are one recovery, not two).
 */
public record Recovery(long computerId, String computerName, List<EventRecord> events) {

    public Recovery {
        events = List.copyOf(events);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("a recovery has at least one event");
        }
    }

    public Instant at() {
        return events.get(0).occurredAt();
    }

    public Instant last() {
        return events.get(events.size() - 1).occurredAt();
    }

    /** When the server learnt of it: the latest arrival of its events. */
    public Instant learntAt() {
        return events.stream().map(EventRecord::receivedAt).filter(Objects::nonNull).max(Instant::compareTo).orElse(at());
    }

    /** The reason recorded for it: the helpdesk's first, else the boot manager's, else none. */
    public String recordedReason() {
        return events.stream().filter(e -> !e.fromDevice() && e.recoveryReason() != null).map(EventRecord::recoveryReason)
                .findFirst()
                .orElse(events.stream().map(EventRecord::recoveryReason).filter(Objects::nonNull).findFirst().orElse(null));
    }

    /** How it was found: the sources of its events, such as "helpdesk, device". */
    public String sources() {
        return String.join(", ", events.stream().map(EventRecord::source).distinct().toList());
    }

    public String protectionMode() {
        return events.stream().map(EventRecord::protectionMode).filter(Objects::nonNull).findFirst().orElse(null);
    }
}
