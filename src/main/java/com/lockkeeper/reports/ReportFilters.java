package com.lockkeeper.reports;

import com.lockkeeper.analysis.Period;
import com.lockkeeper.http.FieldError;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The filters a report may take, checked: dates (from, to — both included), a user and a
 * computer (any part of the name, any case), days without check-in, the period of a report over
 * time. Each report reads only the ones it names.
 */
public record ReportFilters(LocalDate from, LocalDate to, String user, String computer, int days, Period period) {

    static final int DEFAULT_DAYS = 30;
    static final int MAX_TEXT = 256;

    /** The typed values, as the request carried them. */
    public record Typed(String from, String to, String user, String computer, String days, String period) {

        Map<String, String> asMap() {
            Map<String, String> map = new LinkedHashMap<>();
            put(map, "from", from);
            put(map, "to", to);
            put(map, "user", user);
            put(map, "computer", computer);
            put(map, "days", days);
            put(map, "period", period);
            return map;
        }

        private static void put(Map<String, String> map, String key, String value) {
            if (value != null && !value.isBlank()) {
                map.put(key, value.strip());
            }
        }
    }

    /** The filters, or what is wrong with them. */
    public record Checked(ReportFilters filters, List<FieldError> errors) {
    }

    public static Checked check(Typed typed, LocalDate today, int defaultDaysBack) {
        List<FieldError> errors = new ArrayList<>();
        LocalDate to = date(typed.to(), "to", errors);
        LocalDate from = date(typed.from(), "from", errors);
        if (to == null) {
            to = today;
        }
        if (from == null) {
            from = to.minusDays(defaultDaysBack);
        }
        if (from.isAfter(to) && errors.isEmpty()) {
            errors.add(FieldError.of("from", "the start date is after the end date: swap them, or clear one"));
        }
        int days = DEFAULT_DAYS;
        if (typed.days() != null && !typed.days().isBlank()) {
            try {
                days = Integer.parseInt(typed.days().strip());
                if (days < 1 || days > 3650) {
                    errors.add(FieldError.of("days", "type a number of days from 1 to 3650"));
                }
            } catch (NumberFormatException e) {
                errors.add(FieldError.of("days", "type a whole number of days, such as 30"));
            }
        }
        Period period = Period.parse(typed.period()).orElse(null);
        if (period == null) {
            errors.add(FieldError.of("period", "choose week or month"));
        }
        String user = text(typed.user(), "user", errors);
        String computer = text(typed.computer(), "computer", errors);
        return new Checked(errors.isEmpty() ? new ReportFilters(from, to, user, computer, days, period) : null, errors);
    }

    private static LocalDate date(String typed, String field, List<FieldError> errors) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(typed.strip());
        } catch (DateTimeParseException e) {
            errors.add(FieldError.of(field, "type a date as YYYY-MM-DD, such as 2026-11-23"));
            return null;
        }
    }

    private static String text(String typed, String field, List<FieldError> errors) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        if (typed.strip().length() > MAX_TEXT) {
            errors.add(FieldError.of(field, "type at most " + MAX_TEXT + " characters"));
            return null;
        }
        return typed.strip();
    }

    /** The first instant of the {@code from} day, UTC. */
    Instant start() {
        return from.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The first instant after the {@code to} day, UTC: the dates span [start, end). */
    Instant end() {
        return to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Whether a value contains the filter text, any case (no filter: everything matches). */
    static boolean matches(String filter, String... values) {
        if (filter == null) {
            return true;
        }
        String wanted = filter.toLowerCase(java.util.Locale.ROOT);
        for (String value : values) {
            if (value != null && value.toLowerCase(java.util.Locale.ROOT).contains(wanted)) {
                return true;
            }
        }
        return false;
    }
}
