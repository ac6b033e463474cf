package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.reports.ReportRepository.VolumeRow;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** MBAM's computer compliance: each volume of each computer, and why it is not compliant. */
final class ComputerComplianceReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("computer-compliance", "Computer compliance",
            "Each volume of each computer: what its device last reported, its keys, whether the device showed that the"
                    + " escrowed password is the one it has, and whether it is compliant.",
            Set.of("computer"), 0);

    static final String NOT_VERIFIED = "not verified";

    private static final List<Report.Column> COLUMNS = List.of(column("computer", "Computer"),
            column("lastCheckin", "Last check-in (UTC)"), column("driveLabel", "Volume"), column("volumeType", "Type"),
            column("protectionStatus", "Protection"), column("encryptionMethod", "Encryption method"),
            column("protectionMode", "Protection mode"), column("activeKeys", "Active keys"),
            column("disclosedKeys", "Disclosed keys"), column("verified", "Key verified by the device"),
            column("lastVerified", "Last verified (UTC)"), column("compliant", "Compliant"), column("why", "Why not"));

    record Row(String computer, Instant lastCheckin, String driveLabel, String volumeType, String protectionStatus,
            String encryptionMethod, String protectionMode, int activeKeys, int disclosedKeys, String verified,
            Instant lastVerified, String compliant, String why) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(computer, lastCheckin, driveLabel, volumeType, protectionStatus, encryptionMethod, protectionMode,
                    activeKeys, disclosedKeys, verified, lastVerified, compliant, why);
        }
    }

    private final ReportRepository repository;
    private final ComplianceSettings settings;
    private final Clock clock;

    ComputerComplianceReport(ReportRepository repository, ComplianceSettings settings, Clock clock) {
        this.repository = repository;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters f) {
        Instant since = clock.instant().minus(settings.verifiedWithin());
        List<Row> rows = VolumeState.all(repository).stream()
                .filter(s -> ReportFilters.matches(f.computer(), s.volume().computer()))
                .map(s -> row(s, since))
                .toList();
        return Report.of(DEFINITION, COLUMNS, rows);
    }

    private Row row(VolumeState s, Instant since) {
        VolumeRow v = s.volume();
        List<String> problems = problems(s, since);
        boolean verified = s.verifiedSince(since) && s.differing().isEmpty();
        return new Row(v.computer(), v.lastCheckin(), v.driveLabel(), v.volumeType(), v.protectionStatus(), v.encryptionMethod(),
                ProtectionMode.of(v.keyProtectors()), s.active().size(), s.disclosed().size(), verified ? "yes" : NOT_VERIFIED,
                s.lastVerified(), problems.isEmpty() ? "yes" : "no", String.join("; ", problems));
    }

    private List<String> problems(VolumeState s, Instant since) {
        List<String> problems = new ArrayList<>();
        if (!s.reportedByDevice()) {
            problems.add("the device has not reported this volume");
        } else if (!s.encrypted()) {
            problems.add("not encrypted");
        } else if (s.protectionSuspended()) {
            problems.add("protection suspended");
        }
        if (s.active().isEmpty()) {
            problems.add(s.disclosed().isEmpty() ? "no escrowed recovery key" : "only a disclosed key, awaiting rotation");
        }
        if (!s.notEscrowed().isEmpty()) {
            problems.add(s.notEscrowed().size() + " protector(s) on the device never escrowed");
        }
        if (!s.differing().isEmpty()) {
            problems.add("escrowed password differs from the device (" + ShortIds.of(s.differing()) + "), awaiting its escrow");
        } else if (!s.active().isEmpty() && s.lastVerified() == null) {
            problems.add(NOT_VERIFIED + ": the device never showed that the escrowed password is the one it has"
                    + " (its client sends no verifiers)");
        } else if (!s.active().isEmpty() && !s.verifiedSince(since)) {
            problems.add(NOT_VERIFIED + " within " + settings.window() + " (last on "
                    + LocalDate.ofInstant(s.lastVerified(), ZoneOffset.UTC) + ")");
        }
        return problems;
    }
}
