package com.lockkeeper.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The flagging rules applied to the recovery history: which computers' recoveries are flagged, and why. */
public final class FlaggedRecoveries {

    private final RecoveryHistory history;
    private final FlaggingRules rules;

    FlaggedRecoveries(RecoveryHistory history, FlaggingRules rules) {
        this.history = history;
        this.rules = rules;
    }

    /** Flags raised by recoveries that occurred in [from, to), newest first. */
    public List<Flag> between(Instant from, Instant to, Flag.Kind kind) {
        Map<Long, List<EventRecord>> byComputer = history.eventsBetween(rules.reachBefore(from), to).stream()
                .collect(Collectors.groupingBy(EventRecord::computerId, LinkedHashMap::new, Collectors.toList()));
        List<Flag> flags = new ArrayList<>();
        byComputer.values().forEach(events -> rules.flags(events).stream()
                .filter(flag -> flag.kind() == kind && !flag.at().isBefore(from) && flag.at().isBefore(to))
                .forEach(flags::add));
        flags.sort(Comparator.comparing(Flag::at).reversed());
        return flags;
    }

    /** Every flag of this computer, in the order of its recoveries. */
    List<Flag> of(long computerId) {
        return rules.flags(history.eventsOf(computerId));
    }

    /** Computers with a recovery event that arrived after {@code since}: those whose flags may have changed. */
    List<Long> computersWithEventsReceivedAfter(Instant since) {
        return history.computersWithEventsReceivedAfter(since);
    }
}
