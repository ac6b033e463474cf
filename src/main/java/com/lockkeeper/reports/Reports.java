package com.lockkeeper.reports;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The catalogue of reports: the lifecycle reports (keys disclosed but not rotated, computers not
 * checked in, escrow drift), MBAM's compliance and recovery audit reports, and the post-recovery
 * analysis lists, each built from the database as it is now. Read-only; the controller audits each view.
 */
public final class Reports {

    /** What a report is and which filters it reads. */
    public record Definition(String name, String title, String description, Set<String> filters, int daysBack) {

        public boolean takes(String filter) {
            return filters.contains(filter);
        }
    }

    static final List<Definition> DEFINITIONS = List.of(
            RecoveryAuditReport.DEFINITION,
            EnterpriseComplianceReport.DEFINITION,
            ComputerComplianceReport.DEFINITION,
            DisclosedNotRotatedReport.DEFINITION,
            NotCheckedInReport.DEFINITION,
            EscrowDriftReport.DEFINITION,
            FlaggedRecoveriesReport.REPEATED,
            FlaggedRecoveriesReport.AFTER_BOOT_CHANGE,
            UnresolvedAnalysesReport.DEFINITION,
            RootCauseReport.DEFINITION,
            KeysDueForPurgeReport.DEFINITION);

    private final Map<String, ReportType> types = new LinkedHashMap<>();
    private final Clock clock;

    Reports(List<ReportType> types, Clock clock) {
        types.forEach(type -> this.types.put(type.definition().name(), type));
        if (!this.types.keySet().equals(DEFINITIONS.stream().map(Definition::name).collect(Collectors.toSet()))) {
            throw new IllegalArgumentException("every report of the catalogue needs exactly one type: " + this.types.keySet());
        }
        this.clock = clock;
    }

    public static List<Definition> definitions() {
        return DEFINITIONS;
    }

    public static Optional<Definition> definition(String name) {
        return DEFINITIONS.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    public Report<?> build(Definition definition, ReportFilters filters) {
        ReportType type = types.get(definition.name());
        if (type == null) {
            throw new IllegalArgumentException("no report " + definition.name());
        }
        return type.build(filters);
    }
}
