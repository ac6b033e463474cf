package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.analysis.Analyses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Post-recovery analyses still open. */
final class UnresolvedAnalysesReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("unresolved-analyses", "Unresolved analyses",
            "Post-recovery analyses still open: their root cause and resolution are not recorded yet.",
            Set.of("computer"), 0);

    private static final List<Report.Column> COLUMNS = List.of(column("analysis", "Analysis"),
            column("computer", "Computer"), column("openedAt", "Opened (UTC)"), column("ageDays", "Open for (days)"),
            column("openedBecause", "Opened because"));

    record Row(long analysis, String computer, Instant openedAt, long ageDays, String openedBecause) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(analysis, computer, openedAt, ageDays, openedBecause);
        }
    }

    private final Analyses analyses;
    private final Clock clock;

    UnresolvedAnalysesReport(Analyses analyses, Clock clock) {
        this.analyses = analyses;
        this.clock = clock;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters f) {
        Instant now = clock.instant();
        List<Row> rows = analyses.unresolved().stream()
                .filter(a -> ReportFilters.matches(f.computer(), a.computerName()))
                .map(a -> new Row(a.id(), a.computerName(), a.openedAt(), Duration.between(a.openedAt(), now).toDays(),
                        a.openedBecause()))
                .toList();
        return Report.of(DEFINITION, COLUMNS, rows);
    }
}
