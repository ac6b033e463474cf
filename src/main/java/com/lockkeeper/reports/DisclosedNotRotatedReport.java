package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.reports.ReportRepository.DisclosedRow;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Recovery passwords read out or used that the device has not replaced yet, oldest first. */
final class DisclosedNotRotatedReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("disclosed-not-rotated", "Keys disclosed but not rotated",
            "Recovery passwords that were read out or used and that the device has not yet replaced, oldest first.",
            Set.of("computer"), 0);

    private static final List<Report.Column> COLUMNS = List.of(column("computer", "Computer"),
            column("driveLabel", "Volume"), column("volumeType", "Type"), column("passwordId", "Password ID"),
            column("disclosedAt", "Disclosed (UTC)"), column("ageDays", "Age (days)"),
            column("rotationRequestedAt", "Rotation requested (UTC)"), column("lastCheckin", "Last check-in (UTC)"));

    record Row(String computer, String driveLabel, String volumeType, String passwordId, Instant disclosedAt, Long ageDays,
            Instant rotationRequestedAt, Instant lastCheckin) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(computer, driveLabel, volumeType, passwordId, disclosedAt, ageDays, rotationRequestedAt, lastCheckin);
        }
    }

    private final ReportRepository repository;
    private final Clock clock;

    DisclosedNotRotatedReport(ReportRepository repository, Clock clock) {
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
        List<Row> rows = repository.disclosedKeys().stream()
                .filter(k -> ReportFilters.matches(f.computer(), k.computer()))
                .map(k -> row(k, now))
                .toList();
        return Report.of(DEFINITION, COLUMNS, rows);
    }

    private static Row row(DisclosedRow k, Instant now) {
        return new Row(k.computer(), k.driveLabel(), k.volumeType(), ShortIds.of(k.protectorId()), k.disclosedAt(),
                k.disclosedAt() == null ? null : Duration.between(k.disclosedAt(), now).toDays(), k.rotationRequestedAt(),
                k.lastCheckin());
    }
}
