package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** MBAM's enterprise compliance: encrypted volumes with and without an escrowed active key, by protection mode. */
final class EnterpriseComplianceReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("enterprise-compliance", "Enterprise compliance",
            "Encrypted volumes with and without an escrowed active recovery key, by protection mode. A disclosed key"
                    + " does not count: it must be rotated first.", Set.of(), 0);

    static final String ALL_MODES = "All protection modes";

    private static final List<Report.Column> COLUMNS = List.of(column("protectionMode", "Protection mode"),
            column("encryptedVolumes", "Encrypted volumes"), column("withEscrowedKey", "With an escrowed active key"),
            column("withoutEscrowedKey", "Without an escrowed active key"), column("compliantPercent", "Compliant (%)"),
            column("protectionSuspended", "Protection suspended"));

    record Row(String protectionMode, long encryptedVolumes, long withEscrowedKey, long withoutEscrowedKey, long compliantPercent,
            long protectionSuspended) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(protectionMode, encryptedVolumes, withEscrowedKey, withoutEscrowedKey, compliantPercent,
                    protectionSuspended);
        }
    }

    /** Counts of one protection mode, or of all. */
    private static final class Tally {
        long encrypted;
        long withKey;
        long withoutKey;
        long suspended;

        void add(VolumeState volume) {
            encrypted++;
            if (volume.active().isEmpty()) {
                withoutKey++;
            } else {
                withKey++;
            }
            suspended += volume.protectionSuspended() ? 1 : 0;
        }

        Row row(String mode) {
            long percent = encrypted == 0 ? 100 : Math.round(100.0 * withKey / encrypted);
            return new Row(mode, encrypted, withKey, withoutKey, percent, suspended);
        }
    }

    private final ReportRepository repository;

    EnterpriseComplianceReport(ReportRepository repository) {
        this.repository = repository;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters filters) {
        Map<String, Tally> byMode = new TreeMap<>();
        Tally all = new Tally();
        for (VolumeState volume : VolumeState.all(repository)) {
            if (volume.reportedByDevice() && !volume.encrypted()) {
                continue;
            }
            byMode.computeIfAbsent(ProtectionMode.of(volume.volume().keyProtectors()), m -> new Tally()).add(volume);
            all.add(volume);
        }
        List<Row> rows = new ArrayList<>();
        byMode.forEach((mode, tally) -> rows.add(tally.row(mode)));
        rows.add(all.row(ALL_MODES));
        return Report.of(DEFINITION, COLUMNS, rows);
    }
}
