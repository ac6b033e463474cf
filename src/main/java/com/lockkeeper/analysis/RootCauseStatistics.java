package com.lockkeeper.analysis;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Recoveries counted by root cause over time. */
public final class RootCauseStatistics {

    static final String NOT_RECORDED = "Not recorded";

    private final RecoveryHistory history;
    private final AnalysisRepository analyses;
    private final FlaggingRules rules;

    RootCauseStatistics(RecoveryHistory history, AnalysisRepository analyses, FlaggingRules rules) {
        this.history = history;
        this.analyses = analyses;
        this.rules = rules;
    }

    /**
     * Recoveries of [from, to] counted by period and root cause: the root cause an analyst
     * recorded for the analysis that covers the recovery, else the reason recorded with it.
     */
    public List<RootCauseCount> byRootCause(LocalDate from, LocalDate to, Period period) {
        Instant start = from.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<Long, List<Analysis>> analysesByComputer = analyses.all().stream().collect(Collectors.groupingBy(Analysis::computerId));
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (Recovery recovery : rules.recoveries(history.eventsBetween(start, end))) {
            String cause = rootCause(recovery, analysesByComputer.getOrDefault(recovery.computerId(), List.of()));
            counts.computeIfAbsent(period.of(recovery.at()), p -> new TreeMap<>()).merge(cause, 1L, Long::sum);
        }
        List<RootCauseCount> rows = new ArrayList<>();
        counts.forEach((p, causes) -> causes.forEach((cause, n) -> rows.add(new RootCauseCount(p, cause, n))));
        return rows;
    }

    /** The closed analysis that covers the recovery (the first opened at or after it) has the root cause, else the recovery's reason. */
    private static String rootCause(Recovery recovery, List<Analysis> analysesOfItsComputer) {
        return analysesOfItsComputer.stream()
                .filter(a -> !a.openedAt().isBefore(recovery.at()))
                .findFirst()
                .filter(a -> !a.open())
                .map(Analysis::rootCause)
                .orElse(Optional.ofNullable(recovery.recordedReason()).orElse(NOT_RECORDED));
    }
}
