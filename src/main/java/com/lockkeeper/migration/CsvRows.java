package com.lockkeeper.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A CSV export as sqlcmd and Export-Csv write it: RFC 4180 (fields in double quotes or not, a
 * quote doubled inside one, line breaks inside quotes, CRLF or LF), the header row first. Also
 * read: Windows PowerShell's {@code #TYPE} line, sqlcmd's line of dashes under the header and its
 * closing {@code (n rows affected)}, blank lines, and sqlcmd's {@code NULL}, read as empty.
 */
final class CsvRows {

    /** One data row: its number among the rows (from 1), the file line it starts on, and its fields by header name. */
    record Row(long number, long line, Map<String, String> fields) {

        /** The field, trimmed, or null when empty, NULL or absent. */
        String get(String column) {
            String value = fields.get(column.toLowerCase(Locale.ROOT));
            if (value == null) {
                return null;
            }
            value = value.strip();
            return value.isEmpty() || value.equals("NULL") ? null : value;
        }

        String where() {
            return "row " + number + " (line " + line + ")";
        }
    }

    private CsvRows() {
    }

    /** The rows, after checking that the header has the {@code required} columns (any case). */
    static List<Row> parse(String text, String name, List<String> required) {
        List<Record> records = records(text);
        int first = 0;
        while (first < records.size() && (records.get(first).blank() || records.get(first).fields().get(0).startsWith("#TYPE"))) {
            first++;
        }
        if (first == records.size()) {
            throw new InvalidSourceException(name + " is empty: it should start with a header row naming "
                    + String.join(", ", required));
        }
        List<String> header = records.get(first).fields().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        List<String> missing = required.stream().filter(column -> !header.contains(column.toLowerCase(Locale.ROOT))).toList();
        if (!missing.isEmpty()) {
            throw new InvalidSourceException(name + " has no column " + String.join(", ", missing) + " in its header (line "
                    + records.get(first).line() + "): export with the query in docs/migration.md, which names the columns"
                    + " " + String.join(", ", required));
        }
        List<Row> rows = new ArrayList<>();
        for (int i = first + 1; i < records.size(); i++) {
            Record record = records.get(i);
            if (record.blank() || (i == first + 1 && dashes(record)) || rowsAffected(record)) {
                continue;
            }
            Map<String, String> fields = new TreeMap<>();
            for (int c = 0; c < header.size(); c++) {
                fields.put(header.get(c), c < record.fields().size() ? record.fields().get(c) : null);
            }
            if (record.fields().size() != header.size()) {
                fields.put("#columns", Integer.toString(record.fields().size()));
            }
            rows.add(new Row(rows.size() + 1, record.line(), fields));
        }
        return rows;
    }

    /** How many columns a row had, when it was not as many as the header's; else -1. */
    static int wrongColumnCount(Row row) {
        String count = row.fields().get("#columns");
        return count == null ? -1 : Integer.parseInt(count);
    }

    private record Record(long line, List<String> fields) {
        boolean blank() {
            return fields.size() == 1 && fields.get(0).isBlank();
        }
    }

    private static boolean dashes(Record record) {
        return record.fields().stream().allMatch(f -> !f.isEmpty() && f.strip().chars().allMatch(c -> c == '-'));
    }

    private static boolean rowsAffected(Record record) {
        return record.fields().size() == 1 && record.fields().get(0).strip().matches("\\(\\d+ rows? affected\\)");
    }

    private static List<Record> records(String text) {
        List<Record> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        long line = 1;
        long recordLine = 1;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                i++;
                continue;
            }
            if (c == '"' && field.toString().isBlank()) {
                field.setLength(0);
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' || c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                records.add(new Record(recordLine, List.copyOf(fields)));
                fields.clear();
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                line++;
                recordLine = line;
            } else {
                field.append(c);
            }
            i++;
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(new Record(recordLine, List.copyOf(fields)));
        }
        return records;
    }
}
