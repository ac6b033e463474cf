package com.lockkeeper.reports;

/** One report: what it is, and how it builds its rows from the database as it is now. */
interface ReportType {

    Reports.Definition definition();

    Report<?> build(ReportFilters filters);
}
