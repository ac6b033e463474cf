package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.analysis.Period;
import com.lockkeeper.analysis.RootCauseStatistics;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Recoveries per week or month by root cause. */
final class RootCauseReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("recoveries-by-root-cause", "Recoveries by root cause",
            "Recoveries per week or month by root cause: the analyst's finding when an analysis covers the"
                    + " recovery, else the reason recorded with it.", Set.of("from", "to", "period"), 365);

    record Row(String period, String rootCause, long recoveries) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(period, rootCause, recoveries);
        }
    }

    private final RootCauseStatistics statistics;

    RootCauseReport(RootCauseStatistics statistics) {
        this.statistics = statistics;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters f) {
        List<Row> rows = statistics.byRootCause(f.from(), f.to(), f.period()).stream()
                .map(c -> new Row(c.period(), c.rootCause(), c.recoveries()))
                .toList();
        return new Report<>(DEFINITION.name(), DEFINITION.title() + " per " + f.period().name().toLowerCase(Locale.ROOT),
                DEFINITION.description(), List.of(column("period", f.period() == Period.WEEK ? "Week" : "Month"),
                        column("rootCause", "Root cause"), column("recoveries", "Recoveries")), rows);
    }
}
