package com.lockkeeper.reports;

import static com.lockkeeper.reports.Report.column;

import com.lockkeeper.reports.ReportRepository.VolumeRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Volumes whose escrowed keys and the device's reported protectors differ. */
final class EscrowDriftReport implements ReportType {

    static final Reports.Definition DEFINITION = new Reports.Definition("escrow-drift", "Escrow drift",
            "Volumes whose escrowed keys do not match the recovery password protectors the device last reported, or whose"
                    + " escrowed password differs from the one on the device.",
            Set.of("computer"), 0);

    private static final List<Report.Column> COLUMNS = List.of(column("computer", "Computer"),
            column("driveLabel", "Volume"), column("volumeType", "Type"), column("reportedAt", "Reported (UTC)"),
            column("onDeviceNotEscrowed", "On the device, never escrowed"),
            column("escrowedNotOnDevice", "Escrowed as active, gone from the device"),
            column("differsFromDevice", "Escrowed password differs from the device"),
            column("escrowRequested", "Escrow requested from the device"));

    record Row(String computer, String driveLabel, String volumeType, Instant reportedAt, String onDeviceNotEscrowed,
            String escrowedNotOnDevice, String differsFromDevice, String escrowRequested) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(computer, driveLabel, volumeType, reportedAt, onDeviceNotEscrowed, escrowedNotOnDevice,
                    differsFromDevice, escrowRequested);
        }
    }

    private final ReportRepository repository;

    EscrowDriftReport(ReportRepository repository) {
        this.repository = repository;
    }

    @Override
    public Reports.Definition definition() {
        return DEFINITION;
    }

    @Override
    public Report<Row> build(ReportFilters f) {
        List<Row> rows = new ArrayList<>();
        for (VolumeState s : VolumeState.all(repository)) {
            VolumeRow v = s.volume();
            List<String> pendingEscrow = s.pending().stream().filter(a -> a.kind().equals("escrow"))
                    .map(a -> ShortIds.of(a.protectorId())).toList();
            Set<String> notEscrowed = s.reportedByDevice() ? s.notEscrowed() : Set.of();
            Set<String> gone = s.reportedByDevice() ? s.goneFromDevice() : Set.of();
            boolean drifts = !notEscrowed.isEmpty() || !gone.isEmpty() || !s.differing().isEmpty() || !pendingEscrow.isEmpty();
            if (drifts && ReportFilters.matches(f.computer(), v.computer())) {
                rows.add(new Row(v.computer(), v.driveLabel(), v.volumeType(), v.reportedAt(), ShortIds.of(notEscrowed),
                        ShortIds.of(gone), ShortIds.of(s.differing()), String.join(" ", pendingEscrow)));
            }
        }
        return Report.of(DEFINITION, COLUMNS, rows);
    }
}
