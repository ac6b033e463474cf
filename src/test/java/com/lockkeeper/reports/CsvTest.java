package com.lockkeeper.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV as spreadsheets read it: quoted cells, doubled quotes, and no cell that runs as a formula. */
class CsvTest {

    record Line(String name, Number count, Instant when) implements ReportRow {

        @Override
        public List<Object> cells() {
            return Arrays.asList(name, count, when);
        }
    }

    @Test
    void cellsAreQuotedQuotesDoubledAndNumbersLeftBare() {
        Report<Line> report = new Report<>("r", "R", "", List.of(Report.column("a", "Name, full"), Report.column("b", "Count"),
                Report.column("c", "When")), List.of(new Line("say \"hi\"\nthere", 42L, Instant.parse("2026-11-23T10:15:30Z")),
                new Line(null, -3, null)));

        assertThat(Csv.of(report)).isEqualTo("\"Name, full\",\"Count\",\"When\"\r\n"
                + "\"say \"\"hi\"\"\nthere\",42,\"2026-11-23T10:15:30Z\"\r\n"
                + ",-3,\r\n");
    }

    @Test
    void textThatASpreadsheetWouldRunAsAFormulaIsDefused() {
        for (String formula : List.of("=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1")) {
            assertThat(Csv.cell(formula)).as(formula).startsWith("\"'" + formula.charAt(0));
        }
        assertThat(Csv.cell("alice")).isEqualTo("\"alice\"");
        assertThat(Csv.cell("a=b")).isEqualTo("\"a=b\"");
        assertThat(Csv.cell(-5)).isEqualTo("-5");
    }
}
