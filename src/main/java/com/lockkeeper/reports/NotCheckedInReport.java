package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.reports.ReportRepository.ComputerRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Computers silent for the given number of days, or that never checked in. */
final class NotCheckedInReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("not-checked-in", "Computers not checked in",
            "Computers that have not checked in for the given number of days, or never: their disclosed keys"
                    + " cannot be rotated until they do.", Set.of("days", "computer"), 0);

    private static final List<Report.Column> COLUMNS = List.of(column("computer", "Computer"), column("domain", "Domain"),
            column("lastCheckin", "Last check-in (UTC, empty: never)"), column("daysSilent", "Days since"),
            column("volumes", "Volumes"), column("activeKeys", "Active keys"),
            column("disclosedKeys", "Disclosed keys awaiting rotation"));

    record Row(String computer, String domain, Instant lastCheckin, Long daysSilent, int volumes, int activeKeys,
            int disclosedKeys) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(computer, domain, lastCheckin, daysSilent, volumes, activeKeys, disclosedKeys);
        }
    }

    private final ReportRepository repository;
    private final Clock clock;

    NotCheckedInReport(ReportRepository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters f) {
        Instant now = clock.instant();
        List<Row> rows = repository.silentSince(now.minus(Duration.ofDays(f.days()))).stream()
                .filter(c -> ReportFilters.matches(f.computer(), c.name()))
                .map(c -> row(c, now))
                .toList();
        return new Report<>(DEFINITION.name(), DEFINITION.title() + " for " + f.days() + " days", DEFINITION.description(), COLUMNS,
                rows);
    }

    private static Row row(ComputerRow c, Instant now) {
        return new Row(c.name(), c.domain(), c.lastCheckin(),
                c.lastCheckin() == null ? null : Duration.between(c.lastCheckin(), now).toDays(), c.volumes(), c.activeKeys(),
                c.disclosedKeys());
    }
}
