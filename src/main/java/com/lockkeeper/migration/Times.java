package com.lockkeeper.migration;

import com.lockkeeper.support.InvalidValueException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Times as exports write them: ISO 8601 with an offset, or without one (SQL Server's datetime, read as UTC). */
final class Times {

    private Times() {
    }

    static Instant parse(String text, Clock clock) {
        String iso = text.strip().replace(' ', 'T');
        Instant instant;
        try {
            instant = OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                instant = LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new InvalidValueException("must be an ISO 8601 time like 2019-03-14T09:12:33.437 (UTC) or"
                        + " 2019-03-14T09:12:33Z");
            }
        }
        if (instant.isAfter(clock.instant().plus(Duration.ofDays(1)))) {
            throw new InvalidValueException("is in the future");
        }
        return instant;
    }
}
