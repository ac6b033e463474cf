package com.lockkeeper.reports;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * RFC 4180 CSV of a report. Every cell is quoted; a cell a spreadsheet would read as a formula
 * (starting with = + - @, or a tab or carriage return before one) gets a leading apostrophe, so
 * a computer name or a reason typed by someone cannot run as a formula when an auditor opens
 * the file (OWASP's CSV injection advice). Numbers are written as numbers, never prefixed.
 */
public final class Csv {

    private static final String NEWLINE = "\r\n";

    private Csv() {
    }

    public static String of(Report<?> report) {
        StringBuilder csv = new StringBuilder();
        line(csv, report.columns().stream().map(Report.Column::label).map(Object.class::cast).toList());
        report.cells().forEach(row -> line(csv, row));
        return csv.toString();
    }

    private static void line(StringBuilder csv, List<Object> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                csv.append(',');
            }
            csv.append(cell(cells.get(i)));
        }
        csv.append(NEWLINE);
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        String text = value instanceof Instant instant ? DateTimeFormatter.ISO_INSTANT.format(instant) : value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }
}
