package com.lockkeeper.helpdesk;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.stereotype.Component;

/** Dates as pages show them ({@code @dates.format(...)} in templates): UTC, to the minute, unambiguous. */
@Component("dates")
class DisplayDates {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    public String format(Instant instant) {
        return instant == null ? "" : FORMAT.format(instant);
    }
}
