package com.lockkeeper.analysis;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of post-recovery analysis, on values alone: which events are one recovery, and which
 * recoveries flag a computer (repeated recoveries, a recovery after a firmware or boot change).
 */
final class FlaggingRules {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final AnalysisSettings settings;

    FlaggingRules(AnalysisSettings settings) {
        this.settings = settings;
    }

    /** The earliest event that can take part in a flag of a recovery at or after {@code from}. */
    Instant reachBefore(Instant from) {
        return from.minus(settings.repeatedWindow()).minus(settings.bootChangeWindow());
    }

    /** The recoveries among these events (of any computers, each computer's oldest first), oldest first. */
    List<Recovery> recoveries(List<EventRecord> events) {
        List<Recovery> recoveries = new ArrayList<>();
        Map<Long, List<EventRecord>> current = new LinkedHashMap<>();
        for (EventRecord event : events) {
            if (!event.recovery()) {
                continue;
            }
            List<EventRecord> open = current.get(event.computerId());
            if (open != null && sameRecovery(open.get(open.size() - 1), event)) {
                open.add(event);
                continue;
            }
            if (open != null) {
                recoveries.add(recoveryOf(open));
            }
            List<EventRecord> started = new ArrayList<>();
            started.add(event);
            current.put(event.computerId(), started);
        }
        current.values().forEach(open -> recoveries.add(recoveryOf(open)));
        recoveries.sort(Comparator.comparing(Recovery::at));
        return recoveries;
    }

    private boolean sameRecovery(EventRecord previous, EventRecord event) {
        return Duration.between(previous.occurredAt(), event.occurredAt()).compareTo(settings.sameRecovery()) <= 0;
    }

    private static Recovery recoveryOf(List<EventRecord> events) {
        return new Recovery(events.get(0).computerId(), events.get(0).computerName(), events);
    }

    /** The flags these events of one computer (oldest first) raise, in the order of their recoveries. */
    List<Flag> flags(List<EventRecord> events) {
        List<Recovery> recoveries = recoveries(events);
        List<Flag> flags = new ArrayList<>();
        for (int i = 0; i < recoveries.size(); i++) {
            Recovery recovery = recoveries.get(i);
            repeated(recoveries, i).ifPresent(flags::add);
            Instant previous = i == 0 ? Instant.MIN : recoveries.get(i - 1).last();
            bootChangeBefore(events, recovery, previous).ifPresent(why -> flags.add(new Flag(recovery.computerId(),
                    recovery.computerName(), Flag.Kind.AFTER_BOOT_CHANGE, recovery, why)));
        }
        return flags;
    }

    /** The repeated-recoveries flag of the i-th recovery: enough recoveries within the window up to it. */
    private Optional<Flag> repeated(List<Recovery> recoveries, int i) {
        Recovery recovery = recoveries.get(i);
        int first = i;
        while (first > 0 && Duration.between(recoveries.get(first - 1).at(), recovery.at()).compareTo(settings.repeatedWindow()) <= 0) {
            first--;
        }
        int count = i - first + 1;
        if (count < settings.repeatedRecoveries()) {
            return Optional.empty();
        }
        return Optional.of(new Flag(recovery.computerId(), recovery.computerName(), Flag.Kind.REPEATED, recovery,
                count + " recoveries within " + settings.repeatedWindow().toDays() + " days, "
                        + TIME.format(recoveries.get(first).at()) + " to " + TIME.format(recovery.at())));
    }

    /** A boot change (521/522/523) or a firmware version change before this recovery and after the previous one. */
    private Optional<String> bootChangeBefore(List<EventRecord> events, Recovery recovery, Instant previousRecovery) {
        Instant earliest = recovery.at().minus(settings.bootChangeWindow());
        Instant latest = recovery.last();
        Optional<EventRecord> change = events.stream()
                .filter(e -> e.computerId() == recovery.computerId() && e.bootChange())
                .filter(e -> !e.occurredAt().isAfter(latest) && !e.occurredAt().isBefore(earliest)
                        && e.occurredAt().isAfter(previousRecovery))
                .reduce((a, b) -> b);
        if (change.isPresent()) {
            return Optional.of(change.get().what() + " at " + TIME.format(change.get().occurredAt()));
        }
        return firmwareChangeBefore(events, recovery);
    }

    /** The firmware version of this recovery's events, if it differs from the one last seen before it. */
    private static Optional<String> firmwareChangeBefore(List<EventRecord> events, Recovery recovery) {
        Optional<String> firmware = recovery.events().stream().map(EventRecord::firmwareVersion).filter(v -> v != null)
                .findFirst();
        if (firmware.isEmpty()) {
            return Optional.empty();
        }
        return events.stream()
                .filter(e -> e.computerId() == recovery.computerId() && e.firmwareVersion() != null
                        && e.occurredAt().isBefore(recovery.at()))
                .reduce((a, b) -> b)
                .filter(before -> !before.firmwareVersion().equals(firmware.get()))
                .map(before -> "Firmware changed from " + before.firmwareVersion() + " to " + firmware.get()
                        + " (last seen " + TIME.format(before.occurredAt()) + ")");
    }
}
