package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.reports.ReportRepository.VolumeRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** MBAM's computer compliance: each volume of each computer, and why it is not compliant. */
final class ComputerComplianceReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("computer-compliance", "Computer compliance",
            "Each volume of each computer: what its device last reported, its keys, and whether it is compliant.",
            Set.of("computer"), 0);

    private static final List<Report.Column> COLUMNS = List.of(column("computer", "Computer"),
            column("lastCheckin", "Last check-in (UTC)"), column("driveLabel", "Volume"), column("volumeType", "Type"),
            column("protectionStatus", "Protection"), column("encryptionMethod", "Encryption method"),
            column("protectionMode", "Protection mode"), column("activeKeys", "Active keys"),
            column("disclosedKeys", "Disclosed keys"), column("compliant", "Compliant"), column("why", "Why not"));

    record Row(String computer, Instant lastCheckin, String driveLabel, String volumeType, String protectionStatus,
            String encryptionMethod, String protectionMode, int activeKeys, int disclosedKeys, String compliant, String why)
            implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(computer, lastCheckin, driveLabel, volumeType, protectionStatus, encryptionMethod, protectionMode,
                    activeKeys, disclosedKeys, compliant, why);
        }
    }

    private final ReportRepository repository;

    ComputerComplianceReport(ReportRepository repository) {
        this.repository = repository;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters f) {
        List<Row> rows = VolumeState.all(repository).stream()
                .filter(s -> ReportFilters.matches(f.computer(), s.volume().computer()))
                .map(ComputerComplianceReport::row)
                .toList();
        return Report.of(DEFINITION, COLUMNS, rows);
    }

    private static Row row(VolumeState s) {
        VolumeRow v = s.volume();
        List<String> problems = problems(s);
        return new Row(v.computer(), v.lastCheckin(), v.driveLabel(), v.volumeType(), v.protectionStatus(), v.encryptionMethod(),
                ProtectionMode.of(v.keyProtectors()), s.active().size(), s.disclosed().size(), problems.isEmpty() ? "yes" : "no",
                String.join("; ", problems));
    }

    private static List<String> problems(VolumeState s) {
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
        return problems;
    }
}
