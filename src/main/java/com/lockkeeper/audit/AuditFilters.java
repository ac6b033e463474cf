package com.lockkeeper.audit;

import com.lockkeeper.http.FieldError;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The audit-log filters as typed (page and API alike), checked into an {@link AuditQuery} or a list of what is wrong. */
record AuditFilters(String actor, String action, String from, String to, Integer page, Integer size) {

    static final int DEFAULT_SIZE = 50;

    /** The query, or the errors that say which field to fix. */
    Result check() {
        List<FieldError> errors = new ArrayList<>();
        LocalDate fromDate = date("from", from, errors);
        LocalDate toDate = date("to", to, errors);
        if (fromDate != null && toDate != null && toDate.isBefore(fromDate)) {
            errors.add(FieldError.of("to", "the end date is before the start date: swap them"));
        }
        if (page != null && page < 0) {
            errors.add(FieldError.of("page", "pages are numbered from 0"));
        }
        if (size != null && (size < 1 || size > AuditQuery.MAX_SIZE)) {
            errors.add(FieldError.of("size", "a page holds 1 to " + AuditQuery.MAX_SIZE + " records"));
        }
        if (actor != null && actor.length() > 255 || action != null && action.length() > 64) {
            errors.add(FieldError.of(actor != null && actor.length() > 255 ? "actor" : "action", "too long to match anything"));
        }
        AuditQuery query = errors.isEmpty()
                ? new AuditQuery(actor, action, fromDate, toDate, page == null ? 0 : page, size == null ? DEFAULT_SIZE : size)
                : null;
        return new Result(query, errors);
    }

    record Result(AuditQuery query, List<FieldError> errors) {
    }

    private static LocalDate date(String field, String text, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(field, "a date as YYYY-MM-DD, such as 2026-11-23"));
            return null;
        }
    }
}
