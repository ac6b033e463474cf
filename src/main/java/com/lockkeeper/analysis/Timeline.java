package com.lockkeeper.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** A computer's timeline: its recovery events, the changes of its keys, device actions and analyses, oldest first. */
public final class Timeline {

    private final RecoveryHistory history;
    private final AnalysisRepository analyses;

    Timeline(RecoveryHistory history, AnalysisRepository analyses) {
        this.history = history;
        this.analyses = analyses;
    }

    /** Everything that happened to this computer's recovery keys, oldest first. */
    public List<TimelineEntry> of(long computerId) {
        List<TimelineEntry> entries = new ArrayList<>();
        for (EventRecord e : history.eventsOf(computerId)) {
            entries.add(new TimelineEntry(e.occurredAt(), e.recovery() ? "Recovery" : e.bootChange() ? "Boot change" : "Device event",
                    e.what(), e.shortProtectorId(), eventDetail(e), e.recovery()));
        }
        for (RecoveryHistory.KeyChange change : history.keyChangesOf(computerId)) {
            entries.add(new TimelineEntry(change.at(), "Key", change.what(), change.shortProtectorId(),
                    join(change.driveLabel() == null ? null : "volume " + change.driveLabel(), change.detail()), false));
        }
        for (Analysis analysis : analyses.ofComputer(computerId)) {
            entries.add(new TimelineEntry(analysis.openedAt(), "Analysis", "Analysis opened", null, analysis.openedBecause(), false));
            if (analysis.closedAt() != null) {
                entries.add(new TimelineEntry(analysis.closedAt(), "Analysis", "Analysis closed by " + analysis.closedBy(), null,
                        join("root cause: " + analysis.rootCause(), "resolution: " + analysis.resolution(), analysis.notes()), false));
            }
        }
        entries.sort(Comparator.comparing(TimelineEntry::at, Comparator.nullsFirst(Instant::compareTo)));
        return entries;
    }

    private static String eventDetail(EventRecord e) {
        return join(e.driveLabel() == null ? null : "volume " + e.driveLabel(),
                e.recoveryReason() == null ? null : "reason: " + e.recoveryReason(),
                e.unlockedBy() == null ? null : "unlocked by: " + e.unlockedBy(),
                e.protectionMode() == null ? null : "protection: " + e.protectionMode(),
                e.pcrProfile() == null ? null : "PCR profile: " + e.pcrProfile(),
                e.firmwareVersion() == null ? null : "firmware: " + e.firmwareVersion(),
                e.message());
    }

    private static String join(String... parts) {
        return Arrays.stream(parts).filter(p -> p != null && !p.isBlank()).collect(Collectors.joining("; "));
    }
}
