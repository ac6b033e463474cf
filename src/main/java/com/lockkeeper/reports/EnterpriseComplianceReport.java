package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * MBAM's enterprise compliance: encrypted volumes with and without an escrowed active key, by
 * protection mode, and how many of those keys their device showed to be the password it has,
 * recently enough: only those count as compliant.
 */
final class EnterpriseComplianceReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("enterprise-compliance", "Enterprise compliance",
            "Encrypted volumes with and without an escrowed active recovery key, by protection mode. A volume is compliant"
                    + " when its device showed recently that an escrowed active key is the password it has; a disclosed key"
                    + " does not count (it must be rotated first), nor a key never verified (a client that sends no"
                    + " verifiers).", Set.of(), 0);

    static final String ALL_MODES = "All protection modes";

    private static List<Report.Column> columns(ComplianceSettings settings) {
        return List.of(column("protectionMode", "Protection mode"),
                column("encryptedVolumes", "Encrypted volumes"), column("withEscrowedKey", "With an escrowed active key"),
                column("withoutEscrowedKey", "Without an escrowed active key"),
                column("verified", "Key verified by the device within " + settings.window()),
                column("notVerified", "Active key not verified"), column("compliantPercent", "Compliant (%)"),
                column("protectionSuspended", "Protection suspended"));
    }

    record Row(String protectionMode, long encryptedVolumes, long withEscrowedKey, long withoutEscrowedKey, long verified,
            long notVerified, long compliantPercent, long protectionSuspended) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(protectionMode, encryptedVolumes, withEscrowedKey, withoutEscrowedKey, verified, notVerified,
                    compliantPercent, protectionSuspended);
        }
    }

    /** Counts of one protection mode, or of all. */
    private static final class Tally {
        long encrypted;
        long withKey;
        long withoutKey;
        long verified;
        long suspended;

        void add(VolumeState volume, Instant since) {
            encrypted++;
            if (volume.active().isEmpty()) {
                withoutKey++;
            } else {
                withKey++;
                verified += volume.verifiedSince(since) && volume.differing().isEmpty() ? 1 : 0;
            }
            suspended += volume.protectionSuspended() ? 1 : 0;
        }

        Row row(String mode) {
            long percent = encrypted == 0 ? 100 : Math.round(100.0 * verified / encrypted);
            return new Row(mode, encrypted, withKey, withoutKey, verified, withKey - verified, percent, suspended);
        }
    }

    private final ReportRepository repository;
    private final ComplianceSettings settings;
    private final Clock clock;

    EnterpriseComplianceReport(ReportRepository repository, ComplianceSettings settings, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters filters) {
        Instant since = clock.instant().minus(settings.verifiedWithin());
        Map<String, Tally> byMode = new TreeMap<>();
        Tally all = new Tally();
        for (VolumeState volume : VolumeState.all(repository)) {
            if (volume.reportedByDevice() && !volume.encrypted()) {
                continue;
            }
            byMode.computeIfAbsent(ProtectionMode.of(volume.volume().keyProtectors()), m -> new Tally()).add(volume, since);
            all.add(volume, since);
        }
        List<Row> rows = new ArrayList<>();
        byMode.forEach((mode, tally) -> rows.add(tally.row(mode)));
        rows.add(all.row(ALL_MODES));
        return Report.of(DEFINITION, columns(settings), rows);
    }
}
