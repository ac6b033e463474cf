package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.analysis.Analyses;
import com.lockkeeper.analysis.Analysis;
import com.lockkeeper.analysis.Flag;
import com.lockkeeper.analysis.FlaggedRecoveries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Recoveries flagged for post-recovery analysis, of one kind: repeated, or after a firmware or boot change. */
final class FlaggedRecoveriesReport implements ReportType {

    static final Reports.Definition REPEATED = new Reports.Definition("repeated-recoveries", "Repeated recoveries",
            "Computers with repeated recoveries, flagged for post-recovery analysis.",
            Set.of("from", "to", "computer"), 90);

    static final Reports.Definition AFTER_BOOT_CHANGE = new Reports.Definition("boot-change-recoveries",
            "Recoveries after firmware or boot changes",
            "Recoveries that followed a boot change (events 521, 522, 523) or a firmware version change.",
            Set.of("from", "to", "computer"), 90);

    record Row(String computer, Instant recoveredAt, String why, String reason, String sources, String analysis, String rootCause)
            implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(computer, recoveredAt, why, reason, sources, analysis, rootCause);
        }
    }

    private final Flag.Kind kind;
    private final FlaggedRecoveries flagged;
    private final Analyses analyses;

    FlaggedRecoveriesReport(Flag.Kind kind, FlaggedRecoveries flagged, Analyses analyses) {
        this.kind = kind;
        this.flagged = flagged;
        this.analyses = analyses;
    }

    @Override
    public Reports.Definition definition() {
        return kind == Flag.Kind.REPEATED ? REPEATED : AFTER_BOOT_CHANGE;
    }

    @Override
    public Report<Row> build(ReportFilters f) {
        Map<Long, Optional<Analysis>> latestAnalysis = new HashMap<>();
        Set<Long> seen = new HashSet<>();
        List<Row> rows = new ArrayList<>();
        for (Flag flag : flagged.between(f.start(), f.end(), kind)) {
            if (!ReportFilters.matches(f.computer(), flag.computerName())) {
                continue;
            }
            if (kind == Flag.Kind.REPEATED && !seen.add(flag.computerId())) {
                continue; // one row per computer: its latest repeated recovery
            }
            Optional<Analysis> latest = latestAnalysis.computeIfAbsent(flag.computerId(),
                    id -> analyses.ofComputer(id).stream().findFirst());
            rows.add(new Row(flag.computerName(), flag.recovery().at(), flag.description(), flag.recovery().recordedReason(),
                    flag.recovery().sources(), latest.map(Analysis::state).orElse("none"), latest.map(Analysis::rootCause).orElse(null)));
        }
        return Report.of(definition(), columns(), rows);
    }

    private List<Report.Column> columns() {
        boolean repeated = kind == Flag.Kind.REPEATED;
        return List.of(column("computer", "Computer"),
                column("recoveredAt", repeated ? "Latest recovery (UTC)" : "Recovery (UTC)"),
                column("why", repeated ? "Recoveries" : "Change before it"),
                column("reason", "Recorded reason"), column("sources", "Seen by"), column("analysis", "Latest analysis"),
                column("rootCause", "Root cause"));
    }
}
