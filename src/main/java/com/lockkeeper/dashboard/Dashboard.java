package com.lockkeeper.dashboard;

import com.lockkeeper.cluster.NodeRegistry;
import com.lockkeeper.reports.Report;
import com.lockkeeper.reports.ReportFilters;
import com.lockkeeper.reports.Reports;
import com.lockkeeper.streaming.AuditStreaming;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Builds the fleet dashboard from the reports: escrow coverage from the enterprise compliance
 * report, disclosed keys from "keys disclosed but not rotated", silent computers from "computers
 * not checked in" (its default of 30 days), recoveries from "recoveries by root cause" per week;
 * then the nodes and the audit stream. Read-only.
 */
public final class Dashboard {

    /** Weeks of recoveries shown. */
    static final int WEEKS = 12;
    static final int NOT_CHECKED_IN_DAYS = 30;

    private final Reports reports;
    private final NodeRegistry nodes;
    private final Supplier<AuditStreaming> streaming;
    private final Clock clock;

    Dashboard(Reports reports, NodeRegistry nodes, Supplier<AuditStreaming> streaming, Clock clock) {
        this.reports = reports;
        this.nodes = nodes;
        this.streaming = streaming;
        this.clock = clock;
    }

    public FleetStatus status() {
        Report<?> complianceReport = report("enterprise-compliance", null, null, null);
        List<Map<String, Object>> compliance = rows(complianceReport);
        Map<String, Object> total = compliance.get(compliance.size() - 1);
        String window = complianceReport.columns().stream()
                .filter(c -> c.key().equals("verified")).findFirst().map(c -> c.label().replace("Key verified by the device ", ""))
                .orElse("");
        FleetStatus.Coverage coverage = new FleetStatus.Coverage(number(total, "encryptedVolumes"), number(total, "withEscrowedKey"),
                number(total, "verified"), number(total, "compliantPercent"), window);

        List<FleetStatus.DisclosedKey> disclosed = rows(report("disclosed-not-rotated", null, null, null)).stream()
                .map(r -> new FleetStatus.DisclosedKey((String) r.get("computer"), (String) r.get("passwordId"), (Long) r.get("ageDays")))
                .toList();

        List<Map<String, Object>> silent = rows(report("not-checked-in", String.valueOf(NOT_CHECKED_IN_DAYS), null, null));
        long never = silent.stream().filter(r -> r.get("lastCheckin") == null).count();

        String from = reports.today().minusWeeks(WEEKS - 1L).toString();
        FleetStatus.Recoveries recoveries = recoveries(rows(report("recoveries-by-root-cause", null, from, "week")));

        List<FleetStatus.Node> nodeList = nodes.nodes().stream()
                .map(n -> new FleetStatus.Node(n.name(), n.state(), n.lastSeen(), n.version())).toList();
        AuditStreaming stream = streaming.get();
        List<FleetStatus.Sink> sinks = stream == null ? List.of() : stream.lag().stream()
                .map(l -> new FleetStatus.Sink(l.sink(), l.target(), l.waiting(), l.oldestWaiting().map(Duration::toSeconds).orElse(null),
                        l.lastDelivery().orElse(null), l.lastError().orElse(null)))
                .toList();
        return new FleetStatus(clock.instant(), coverage, disclosed, NOT_CHECKED_IN_DAYS, silent.size(), never, recoveries, nodeList,
                sinks);
    }

    /** The report's rows into weeks (every week of the range, oldest first) and one series per root cause. */
    private FleetStatus.Recoveries recoveries(List<Map<String, Object>> rows) {
        TreeSet<String> weeks = new TreeSet<>();
        for (int i = WEEKS - 1; i >= 0; i--) {
            weeks.add(week(reports.today().minusWeeks(i)));
        }
        Map<String, Map<String, Long>> byCause = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            String week = (String) row.get("period");
            weeks.add(week);
            byCause.computeIfAbsent((String) row.get("rootCause"), c -> new TreeMap<>()).merge(week, number(row, "recoveries"), Long::sum);
        }
        List<String> weekList = List.copyOf(weeks);
        List<FleetStatus.Series> series = new ArrayList<>();
        byCause.forEach((cause, counts) -> series.add(new FleetStatus.Series(cause,
                weekList.stream().map(w -> counts.getOrDefault(w, 0L)).toList())));
        return new FleetStatus.Recoveries(weekList, series);
    }

    private static String week(java.time.LocalDate day) {
        return String.format(java.util.Locale.ROOT, "%04d-W%02d", day.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
                day.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    private Report<?> report(String name, String days, String from, String period) {
        Reports.Definition definition = Reports.definition(name).orElseThrow();
        ReportFilters.Checked checked = ReportFilters.check(new ReportFilters.Typed(from, null, null, null, days, period),
                reports.today(), definition.daysBack());
        if (checked.filters() == null) {
            throw new IllegalStateException("the dashboard's filters of " + name + " do not check: " + checked.errors());
        }
        return reports.build(definition, checked.filters());
    }

    /** The rows as maps keyed by column key. */
    static List<Map<String, Object>> rows(Report<?> report) {
        return report.cells().stream().map(row -> {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                map.put(report.columns().get(i).key(), row.get(i));
            }
            return map;
        }).toList();
    }

    private static long number(Map<String, Object> row, String key) {
        Object value = row.get(key);
        return value == null ? 0 : ((Number) value).longValue();
    }
}
