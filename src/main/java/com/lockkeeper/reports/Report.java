package com.lockkeeper.reports;

import java.util.List;

/**
 * A report as every format shows it: the same columns and typed rows on the page, in CSV and in
 * JSON. Never holds a secret.
 */
public record Report<R extends ReportRow>(String name, String title, String description, List<Column> columns, List<R> rows) {

    /** A column: its key in JSON, its heading on the page and in CSV. */
    public record Column(String key, String label) {
    }

    public Report {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        for (R row : rows) {
            if (row.cells().size() != columns.size()) {
                throw new IllegalArgumentException("a row of " + name + " has " + row.cells().size() + " values for " + columns.size()
                        + " columns");
            }
        }
    }

    /** A report titled as its definition says. */
    static <R extends ReportRow> Report<R> of(Reports.Definition definition, List<Column> columns, List<R> rows) {
        return new Report<>(definition.name(), definition.title(), definition.description(), columns, rows);
    }

    public static Column column(String key, String label) {
        return new Column(key, label);
    }

    /** The cells of every row, in order. */
    public List<List<Object>> cells() {
        return rows.stream().map(ReportRow::cells).toList();
    }
}
