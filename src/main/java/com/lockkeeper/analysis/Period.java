package com.lockkeeper.analysis;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Locale;
import java.util.Optional;

/** Weeks (ISO, like 2026-W47) or months (like 2026-11). */
public enum Period {
    WEEK, MONTH;

    public static Optional<Period> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(MONTH);
        }
        for (Period period : values()) {
            if (period.name().equalsIgnoreCase(text.strip())) {
                return Optional.of(period);
            }
        }
        return Optional.empty();
    }

    String of(Instant at) {
        ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
        return this == MONTH ? String.format(Locale.ROOT, "%04d-%02d", utc.getYear(), utc.getMonthValue())
                : String.format(Locale.ROOT, "%04d-W%02d", utc.get(IsoFields.WEEK_BASED_YEAR),
                        utc.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }
}
