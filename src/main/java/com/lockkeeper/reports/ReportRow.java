package com.lockkeeper.reports;

import java.util.List;

/** A typed row of a report: its values in the order of the report's columns, for the page, CSV and JSON. */
public interface ReportRow {

    /** Strings, numbers, booleans, instants or nulls; never a secret. */
    List<Object> cells();
}
