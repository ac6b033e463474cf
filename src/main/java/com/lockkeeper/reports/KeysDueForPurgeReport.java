package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.retention.PurgeSchedule;
import com.lockkeeper.retention.Retention;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The keys of retired computers not purged yet: when the retention will purge each, or what keeps it. */
final class KeysDueForPurgeReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("keys-due-for-purge", "Keys due for purge",
            "Recovery keys of retired computers that the retention will purge (their passwords and key packages deleted, their"
                    + " metadata kept), soonest first, and those it keeps: on legal hold, reported by the device since its"
                    + " retirement, or no purge period set (lockkeeper.retention.purge-after).", Set.of("computer"), 0);

    private static final List<Report.Column> COLUMNS = List.of(column("computer", "Computer"), column("driveLabel", "Volume"),
            column("volumeType", "Type"), column("passwordId", "Password ID"), column("status", "Status"),
            column("retiredAt", "Computer retired (UTC)"), column("retiredReason", "Why retired"),
            column("purgeAt", "Purged on (UTC)"), column("keptBecause", "Kept because"));

    record Row(String computer, String driveLabel, String volumeType, String passwordId, String status, Instant retiredAt,
            String retiredReason, Instant purgeAt, String keptBecause) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(computer, driveLabel, volumeType, passwordId, status, retiredAt, retiredReason, purgeAt, keptBecause);
        }
    }

    private final Retention retention;

    KeysDueForPurgeReport(Retention retention) {
        this.retention = retention;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters f) {
        List<Row> rows = retention.schedule().stream()
                .filter(s -> ReportFilters.matches(f.computer(), s.key().computer()))
                .map(KeysDueForPurgeReport::row)
                .toList();
        return Report.of(DEFINITION, COLUMNS, rows);
    }

    private static Row row(PurgeSchedule s) {
        var k = s.key();
        return new Row(k.computer(), k.driveLabel(), k.volumeType(), ShortIds.of(k.protectorId().hex()), k.status(), k.retiredAt(),
                k.retiredReason(), s.purgeAt(), s.blockedBy());
    }
}
