package com.lockkeeper.reports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** A report as JSON: its name, title, filters and one object per row keyed by column; times in ISO-8601 UTC. */
final class ReportJson {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReportJson() {
    }

    static String of(Report<?> report, ReportFilters filters, Reports.Definition definition) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("report", report.name());
        body.put("title", report.title());
        Map<String, Object> used = new LinkedHashMap<>();
        if (definition.takes("from")) {
            used.put("from", filters.from().toString());
            used.put("to", filters.to().toString());
        }
        if (definition.takes("user")) {
            used.put("user", filters.user());
        }
        if (definition.takes("computer")) {
            used.put("computer", filters.computer());
        }
        if (definition.takes("days")) {
            used.put("days", filters.days());
        }
        if (definition.takes("period")) {
            used.put("period", filters.period().name().toLowerCase(java.util.Locale.ROOT));
        }
        body.put("filters", used);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Object> row : report.cells()) {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                Object value = row.get(i);
                object.put(report.columns().get(i).key(), value instanceof Instant instant ? instant.toString() : value);
            }
            rows.add(object);
        }
        body.put("rows", rows);
        return JSON.writeValueAsString(body);
    }
}
