package com.lockkeeper.reports;

import java.util.List;

/**
 * A report as every format shows it: the same columns and rows on the page, in CSV and in JSON.
 * Values are strings, numbers, booleans, instants or null; never a secret.
 */
public record Report(String name, String title, String description, List<Column> columns, List<List<Object>> rows) {

    /** A column: its key in JSON, its heading on the page and in CSV. */
    public record Column(String key, String label) {
    }

    public Report {
        columns = List.copyOf(columns);
        List<List<Object>> copied = new java.util.ArrayList<>();
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("a row of " + name + " has " + row.size() + " values for " + columns.size() + " columns");
            }
            copied.add(java.util.Collections.unmodifiableList(new java.util.ArrayList<>(row)));
        }
        rows = List.copyOf(copied);
    }

    public static Column column(String key, String label) {
        return new Column(key, label);
    }
}
